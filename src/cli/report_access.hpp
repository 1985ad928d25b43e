#pragma once
// What `report` and `run` (with [report] on_run = yes) share: the figures of a study and the
// report's options from respbench.conf.

#include "analysis/metrics.hpp"
#include "cli/command.hpp"
#include "ledger/ledger.hpp"
#include "report/report.hpp"
#include "study/study.hpp"

namespace respbench {

// The study's figures at `now`, from its ledger. Throws CommandError when they cannot be
// computed.
StudyFigures figures_for(const Study& study, Ledger& ledger, Instant now);

// The report options of respbench.conf's [report] section, with `options`' --out, --lang and
// --csv-dialect over them when given (pass nullptr for none). The folder defaults to reports/ in
// the study folder. Throws CommandError (exit 2) for an unknown language or dialect.
ReportOptions report_options(const Study& study, const po::variables_map* options);

}  // namespace respbench
