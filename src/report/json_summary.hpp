#pragma once
// summary.json (DESIGN §8): the study's facts, every sector × channel group and the overall
// groups, with intervals and curves. Numbers are numbers, an absent value is null; keys are
// those of summary.csv where both have the figure (docs/report-files.md).

#include <string>

#include "analysis/metrics.hpp"

namespace respbench {

std::string summary_json(const StudyFigures& figures);

}  // namespace respbench
