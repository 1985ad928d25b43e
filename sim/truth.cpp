#include "truth.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "util/files.hpp"

namespace company_sim {

namespace {

// RFC 4180 quoting without respbench's formula neutralisation (csv_cell): the truth is read by
// programs that join on its references, so every cell must round-trip byte for byte.
std::string cell(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

}  // namespace

const char* to_string(TruthEvent event) {
  switch (event) {
    case TruthEvent::received: return "received";
    case TruthEvent::answer: return "answer";
    case TruthEvent::late_answer: return "late_answer";
    case TruthEvent::auto_ack: return "auto_ack";
    case TruthEvent::ticket_ack: return "ticket_ack";
    case TruthEvent::out_of_office: return "out_of_office";
    case TruthEvent::bounce: return "bounce";
    case TruthEvent::ignored: return "ignored";
  }
  return "?";
}

void TruthLog::add(TruthRow row) {
  std::lock_guard lock(m_mutex);
  m_rows.push_back(std::move(row));
}

void TruthLog::add_profile(TruthProfileRow row) {
  std::lock_guard lock(m_mutex);
  m_profiles.push_back(std::move(row));
}

std::vector<TruthRow> TruthLog::rows() const {
  std::lock_guard lock(m_mutex);
  return m_rows;
}

std::filesystem::path TruthLog::profiles_path(const std::filesystem::path& truth_path) {
  auto name = truth_path.stem().string() + "-profiles.csv";
  return truth_path.parent_path() / name;
}

respbench::Result<void> TruthLog::write(const std::filesystem::path& path) const {
  std::vector<TruthRow> rows;
  std::vector<TruthProfileRow> profiles;
  {
    std::lock_guard lock(m_mutex);
    rows = m_rows;
    profiles = m_profiles;
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const TruthRow& a, const TruthRow& b) { return a.at < b.at; });
  std::string text = "channel,company_id,sector,reference,event,at,detail\r\n";
  for (const auto& r : rows) {
    text += fmt::format("{},{},{},{},{},{},{}\r\n", cell(r.channel), cell(r.company_id),
                        cell(r.sector), cell(r.reference), to_string(r.event),
                        respbench::format_utc(r.at), cell(r.detail));
  }
  if (auto ok = respbench::write_file_atomic(path, text); !ok) return ok;

  std::string ptext = "sector,channel,companies,true_answer_rate\r\n";
  for (const auto& p : profiles) {
    ptext += fmt::format("{},{},{},{:.4f}\r\n", cell(p.sector), cell(p.channel), p.companies,
                         p.true_answer_rate);
  }
  return respbench::write_file_atomic(profiles_path(path), ptext);
}

}  // namespace company_sim
