#pragma once
// The assisted channels (DESIGN §4): Facebook today, web forms, chat, phone later. respbench
// cannot post there itself, so `run` puts due inquiries on a to-do list, a person posts them and
// registers what was posted (`respbench sent`). This is the channel's part of a run and the
// to-do list as data; src/cli renders it.

#include <chrono>
#include <string>
#include <vector>

#include "ledger/ledger.hpp"
#include "study/study.hpp"

namespace respbench {

// Whether inquiries on `c` are posted by a person rather than sent by respbench.
constexpr bool is_assisted(Channel c) { return c != Channel::email; }

// A to-do waiting longer than this after it became due counts as overdue: the schedule spreads
// inquiries over weekdays and hours on purpose (DESIGN §1), and a post hours late shifts that.
inline constexpr std::chrono::hours k_todo_overdue_after{2};
// `sent --at` may say an inquiry was posted this much before it was planned (a person working
// through the list a little early), not more.
inline constexpr std::chrono::minutes k_early_post_tolerance{30};

struct AssistedRunResult {
  int moved = 0;  // inquiries put on the to-do list
  std::vector<std::string> errors;
};

// A run's work for every assisted channel: due inquiries (planned_at <= now) → todo.
AssistedRunResult put_due_on_todo(Ledger& ledger, Instant now);

// One line of the to-do list: what to post where, as who.
struct TodoItem {
  InquiryRecord inquiry;
  std::string company_name;
  std::string sector;
  std::string page;     // the company's page (name or numeric id) on the channel
  std::string link;     // where to post: "https://www.facebook.com/NordlichtBank"
  std::string subject;  // the probe's subject, filled in: what the question is about
  std::string text;     // the probe's text with its placeholders filled in, ready to paste
  Instant due_since;    // planned_at
  bool overdue = false;
  std::string problem;  // why no text can be given (company or probe gone from the study); "" if none
};

// The to-do items for `todos` (inquiries in state todo), in their order.
std::vector<TodoItem> todo_items(const Study& study, const std::vector<InquiryRecord>& todos, Instant now);

// Whether a to-do due since `due_since` is overdue at `now`.
constexpr bool is_overdue(Instant due_since, Instant now) { return now - due_since > k_todo_overdue_after; }

}  // namespace respbench
