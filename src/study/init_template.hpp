#pragma once
// What `respbench init` writes: a respbench.conf made from the key table, a companies.csv with
// two fictional companies, and five general probes — a study that `check` and `plan` accept.

#include <string>
#include <vector>

#include <date/date.h>

namespace respbench {

struct TemplateFile {
  std::string path;  // relative to the study folder
  std::string content;
};

// The files of a new study that starts on `start`.
std::vector<TemplateFile> study_template(date::year_month_day start);

// respbench.conf with every key, its help and its default (required keys filled from `start`
// and an example persona).
std::string config_template(date::year_month_day start);

}  // namespace respbench
