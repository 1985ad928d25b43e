// corpus_eval: measures the reply classifier against the labelled corpus (tests/corpus).
//
//   corpus_eval CORPUS_DIR [--min-human-precision 0.97] [--min-human-recall 0.97]
//                          [--min-bounce-recall 0.97]
//
// Reads CORPUS_DIR/labels.csv, runs parse_message + classify on every CORPUS_DIR/messages/*.eml,
// and prints precision and recall per kind, the confusion matrix, how often a bounce's original
// Message-ID, recipient and status were found, and every misclassified file with its reasons.
// Exits 1 below a threshold, when a labelled file is missing or a message file is unlabelled,
// and 2 on a usage error.

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mail/classify.hpp"
#include "mail/message.hpp"
#include "study/model.hpp"
#include "util/csv.hpp"
#include "util/diagnostics.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"
#include "util/table.hpp"

namespace fs = std::filesystem;
using namespace respbench;

namespace {

// The kinds a label may name, in the order the tables show them.
constexpr ReplyKind k_kinds[] = {ReplyKind::human,         ReplyKind::auto_ack, ReplyKind::ticket_ack,
                                 ReplyKind::out_of_office, ReplyKind::bounce,   ReplyKind::other};
constexpr std::size_t k_kind_count = std::size(k_kinds);
// The classifier may also answer `unclassified`: one more column in the confusion matrix.
constexpr std::size_t k_found_count = k_kind_count + 1;

std::size_t found_index(ReplyKind k) {
  for (std::size_t i = 0; i < k_kind_count; ++i) {
    if (k_kinds[i] == k) return i;
  }
  return k_kind_count;
}

struct Label {
  std::string file;
  ReplyKind kind = ReplyKind::other;
  std::string original_message_id;
  std::string recipient;
  std::string status;
  int line = 0;
};

struct Options {
  fs::path dir;
  double min_human_precision = 0.97;
  double min_human_recall = 0.97;
  double min_bounce_recall = 0.97;
};

std::optional<double> parse_share(std::string_view s) {
  double value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || value < 0 || value > 1) return std::nullopt;
  return value;
}

std::optional<Options> parse_options(int argc, char** argv) {
  Options o;
  bool have_dir = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    double* target = arg == "--min-human-precision" ? &o.min_human_precision
                     : arg == "--min-human-recall"  ? &o.min_human_recall
                     : arg == "--min-bounce-recall" ? &o.min_bounce_recall
                                                    : nullptr;
    if (target != nullptr) {
      if (i + 1 >= argc) return std::nullopt;
      auto value = parse_share(argv[++i]);
      if (!value) return std::nullopt;
      *target = *value;
    } else if (!arg.starts_with("-") && !have_dir) {
      o.dir = arg;
      have_dir = true;
    } else {
      return std::nullopt;
    }
  }
  if (!have_dir) return std::nullopt;
  return o;
}

// labels.csv as label records; problems go to `problems`.
std::vector<Label> read_labels(const fs::path& path, std::vector<std::string>& problems) {
  std::vector<Label> labels;
  auto text = read_file(path);
  if (!text) {
    problems.push_back(fmt::format("{}: cannot read: {}", path.string(), text.error().message));
    return labels;
  }
  Diagnostics diags;
  auto records = parse_csv(*text, path.string(), diags);
  for (const auto& d : diags.sorted()) problems.push_back(format_diagnostic(d));
  const std::vector<std::string> k_header = {"file", "kind", "original_message_id", "recipient", "status", "notes"};
  if (records.empty()) {
    problems.push_back(path.string() + ": empty");
    return labels;
  }
  std::vector<std::string> header;
  for (const auto& f : records.front().fields) header.push_back(f.value);
  if (header != k_header) {
    problems.push_back(fmt::format("{}:1: the header must be {}", path.string(), join(k_header, ",")));
    return labels;
  }
  std::set<std::string> seen;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& rec = records[r];
    if (rec.fields.size() != k_header.size()) {
      problems.push_back(fmt::format("{}:{}: {} fields, expected {}", path.string(), rec.line, rec.fields.size(),
                                     k_header.size()));
      continue;
    }
    Label l;
    l.file = rec.fields[0].value;
    l.line = rec.line;
    auto kind = parse_reply_kind(rec.fields[1].value);
    if (!kind || found_index(*kind) == k_kind_count) {
      problems.push_back(fmt::format("{}:{}: unknown kind '{}'", path.string(), rec.line, rec.fields[1].value));
      continue;
    }
    l.kind = *kind;
    l.original_message_id = rec.fields[2].value;
    l.recipient = rec.fields[3].value;
    l.status = rec.fields[4].value;
    if (!seen.insert(l.file).second) {
      problems.push_back(fmt::format("{}:{}: '{}' is labelled twice", path.string(), rec.line, l.file));
      continue;
    }
    labels.push_back(std::move(l));
  }
  return labels;
}

std::string share(std::size_t part, std::size_t whole) {
  if (whole == 0) return "–";
  return fmt::format("{:.3f}", static_cast<double>(part) / static_cast<double>(whole));
}

double ratio(std::size_t part, std::size_t whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

struct Miss {
  std::string file;
  ReplyKind expected;
  ReplyKind found;
  std::vector<std::string> reasons;
};

}  // namespace

int main(int argc, char** argv) {
  auto options = parse_options(argc, argv);
  if (!options) {
    fmt::print(stderr,
               "usage: corpus_eval CORPUS_DIR [--min-human-precision X] [--min-human-recall X] "
               "[--min-bounce-recall X]   (X between 0 and 1; default 0.97)\n");
    return 2;
  }
  const fs::path messages_dir = options->dir / "messages";
  std::vector<std::string> problems;
  auto labels = read_labels(options->dir / "labels.csv", problems);

  std::set<std::string> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(messages_dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".eml") files.insert(entry.path().filename().string());
  }
  if (ec) problems.push_back(fmt::format("{}: cannot list: {}", messages_dir.string(), ec.message()));
  std::set<std::string> labelled;
  for (const auto& l : labels) labelled.insert(l.file);
  for (const auto& f : files) {
    if (!labelled.contains(f)) problems.push_back(fmt::format("messages/{}: not labelled in labels.csv", f));
  }

  std::size_t matrix[k_kind_count][k_found_count] = {};
  std::vector<Miss> misses;
  std::size_t bounce_fields[3] = {};  // right original Message-ID, recipient, status
  std::size_t bounce_labelled[3] = {};
  std::size_t uncertain = 0;
  std::size_t evaluated = 0;
  for (const auto& label : labels) {
    if (!files.contains(label.file)) {
      problems.push_back(fmt::format("labels.csv:{}: messages/{} does not exist", label.line, label.file));
      continue;
    }
    auto raw = read_file(messages_dir / label.file);
    if (!raw) {
      problems.push_back(fmt::format("messages/{}: cannot read: {}", label.file, raw.error().message));
      continue;
    }
    ParsedMessage message = parse_message(*raw);
    Classification c = classify(message);
    ++evaluated;
    if (c.uncertain) ++uncertain;
    matrix[found_index(label.kind)][found_index(c.kind)]++;
    if (c.kind != label.kind) misses.push_back({label.file, label.kind, c.kind, c.reasons});
    if (label.kind == ReplyKind::bounce) {
      const std::string expected[3] = {label.original_message_id, to_lower_ascii(label.recipient), label.status};
      std::string found[3];
      if (c.bounce) found[0] = c.bounce->original_message_id, found[1] = to_lower_ascii(c.bounce->recipient),
                    found[2] = c.bounce->status;
      for (int i = 0; i < 3; ++i) {
        if (expected[i].empty()) continue;
        ++bounce_labelled[i];
        if (found[i] == expected[i]) ++bounce_fields[i];
      }
    }
  }

  // Per kind: labelled, found, right, precision, recall.
  TextTable per_kind({"kind", "labelled", "found", "right", "precision", "recall"},
                     {Align::left, Align::right, Align::right, Align::right, Align::right, Align::right});
  std::size_t right_total = 0;
  double precision[k_kind_count] = {};
  double recall[k_kind_count] = {};
  for (std::size_t k = 0; k < k_kind_count; ++k) {
    std::size_t labelled_k = 0, found_k = 0;
    for (std::size_t j = 0; j < k_found_count; ++j) labelled_k += matrix[k][j];
    for (std::size_t i = 0; i < k_kind_count; ++i) found_k += matrix[i][k];
    const std::size_t right = matrix[k][k];
    right_total += right;
    precision[k] = ratio(right, found_k);
    recall[k] = ratio(right, labelled_k);
    per_kind.add_row({std::string(to_string(k_kinds[k])), std::to_string(labelled_k), std::to_string(found_k),
                      std::to_string(right), share(right, found_k), share(right, labelled_k)});
  }
  per_kind.add_rule();
  per_kind.add_row({"all", std::to_string(evaluated), std::to_string(evaluated), std::to_string(right_total), "",
                    share(right_total, evaluated)});
  fmt::print("Reply classifier on the corpus ({}): {} messages, {} marked uncertain\n\n{}\n",
             options->dir.string(), evaluated, uncertain, per_kind.render());

  std::vector<std::string> matrix_header = {"labelled \\ found"};
  std::vector<Align> matrix_align = {Align::left};
  for (std::size_t j = 0; j < k_found_count; ++j) {
    matrix_header.emplace_back(j < k_kind_count ? to_string(k_kinds[j]) : to_string(ReplyKind::unclassified));
    matrix_align.push_back(Align::right);
  }
  TextTable confusion(matrix_header, matrix_align);
  for (std::size_t i = 0; i < k_kind_count; ++i) {
    std::vector<std::string> row = {std::string(to_string(k_kinds[i]))};
    for (std::size_t j = 0; j < k_found_count; ++j) row.push_back(std::to_string(matrix[i][j]));
    confusion.add_row(std::move(row));
  }
  fmt::print("Confusion matrix\n\n{}\n", confusion.render());

  TextTable bounce({"bounce detail", "labelled", "right", "share"},
                   {Align::left, Align::right, Align::right, Align::right});
  const char* k_bounce_rows[3] = {"original Message-ID", "recipient", "status"};
  for (int i = 0; i < 3; ++i) {
    bounce.add_row({k_bounce_rows[i], std::to_string(bounce_labelled[i]), std::to_string(bounce_fields[i]),
                    share(bounce_fields[i], bounce_labelled[i])});
  }
  fmt::print("Bounces: what the classifier read from them\n\n{}\n", bounce.render());

  if (!misses.empty()) {
    fmt::print("Misclassified ({}):\n", misses.size());
    for (const auto& m : misses) {
      fmt::print("  {}: expected {}, found {} ({})\n", m.file, to_string(m.expected), to_string(m.found),
                 m.reasons.empty() ? std::string("no reasons") : join(m.reasons, "; "));
    }
    fmt::print("\n");
  }

  bool ok = problems.empty();
  for (const auto& p : problems) fmt::print("corpus problem: {}\n", p);
  const std::size_t human = found_index(ReplyKind::human);
  const std::size_t bounce_k = found_index(ReplyKind::bounce);
  auto check = [&](std::string_view what, double value, double minimum) {
    const bool pass = value >= minimum;
    fmt::print("{} {:.3f} (minimum {:.3f}): {}\n", what, value, minimum, pass ? "ok" : "BELOW");
    ok = ok && pass;
  };
  check("human precision", precision[human], options->min_human_precision);
  check("human recall   ", recall[human], options->min_human_recall);
  check("bounce recall  ", recall[bounce_k], options->min_bounce_recall);
  return ok ? 0 : 1;
}
