#include "channels/assisted_channel.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "study/config.hpp"
#include "study/placeholders.hpp"

namespace respbench {

AssistedRunResult put_due_on_todo(Ledger& ledger, Instant now) {
  AssistedRunResult result;
  for (Channel c : k_all_channels) {
    if (!is_assisted(c)) continue;
    auto moved = ledger.move_due_to_todo(c, now);
    if (moved) result.moved += *moved;
    else result.errors.push_back(fmt::format("{}: {}", to_string(c), moved.error().message));
  }
  return result;
}

namespace {

std::string link_to(Channel c, const std::string& page) {
  if (c == Channel::facebook && !page.empty()) return "https://www.facebook.com/" + page;
  return page;
}

}  // namespace

std::vector<TodoItem> todo_items(const Study& study, const std::vector<InquiryRecord>& todos, Instant now) {
  std::vector<TodoItem> items;
  for (const InquiryRecord& inquiry : todos) {
    TodoItem& item = items.emplace_back();
    item.inquiry = inquiry;
    item.due_since = inquiry.planned_at;
    item.overdue = is_overdue(inquiry.planned_at, now);
    auto company = std::find_if(study.companies.begin(), study.companies.end(),
                                [&](const Company& c) { return c.id == inquiry.company_id; });
    auto probe = std::find_if(study.probes.begin(), study.probes.end(),
                              [&](const Probe& p) { return p.id == inquiry.probe_id; });
    const auto persona = parse_persona(inquiry.persona);
    if (company == study.companies.end()) {
      item.company_name = inquiry.company_id;
      item.problem = fmt::format("company {} is no longer in companies.csv", inquiry.company_id);
      continue;
    }
    item.company_name = company->name;
    item.sector = company->sector;
    item.page = company->contact(inquiry.channel);
    item.link = link_to(inquiry.channel, item.page);
    if (item.page.empty()) {
      item.problem = fmt::format("{} no longer lists a {} contact in companies.csv", company->id,
                                 to_string(inquiry.channel));
    } else if (probe == study.probes.end() || !persona) {
      item.problem = fmt::format("probe {} is no longer in probes/", inquiry.probe_id);
    } else {
      item.subject = render_placeholders(probe->subject, *company, *persona);
      item.text = render_placeholders(probe->body, *company, *persona);
    }
  }
  return items;
}

}  // namespace respbench
