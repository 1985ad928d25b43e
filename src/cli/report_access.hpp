#pragma once
// What `report` and `run` (with [report] on_run = yes) share: the figures of a study and the
// report's options from respbench.conf.

#include "analysis/metrics.hpp"
#include "cli/command.hpp"
#include "ledger/ledger.hpp"
#include "report/report.hpp"
#include "study/config.hpp"

namespace respbench {

// The study's figures at `now`, from its ledger (respbench.conf's settings: the ledger holds the
// companies and probes that were planned). Throws CommandError when they cannot be computed.
StudyFigures figures_for(const StudyConfig& config, Ledger& ledger, Instant now);

// The report options of respbench.conf's [report] section, with `options`' --out, --lang and
// --csv-dialect over them when given (pass nullptr for none). The folder defaults to reports/ in
// the study folder. Throws CommandError (exit 2) for an unknown language or dialect.
ReportOptions report_options(const StudyConfig& config, const std::filesystem::path& study_dir,
                             const po::variables_map* options);

}  // namespace respbench
