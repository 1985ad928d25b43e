#pragma once
// Facebook test studies against the Graph API emulator: a study folder whose facebook channel
// points at the emulator, planned, with its Facebook inquiries registered as sent (what
// `respbench sent` will do) directly in the ledger.

#include <memory>
#include <string>
#include <vector>

#include "emulator.hpp"
#include "ledger/ledger.hpp"
#include "support.hpp"

namespace respbench::test {

inline constexpr const char* k_fb_token_env = "RESPBENCH_TEST_FB_TOKEN";
inline constexpr const char* k_fb_page_token = "page-token-3f9a7c";
inline constexpr const char* k_fb_app_token = "app-token-77e1d2";

// The page of company `index` (0, 1, …) in FacebookStudy: id 19292868552 + index.
std::string page_id_of(int index);

struct FacebookStudy {
  TempDir dir;
  graph_emulator::Emulator& graph;

  // `companies` companies, each with a page on the emulator (by numeric id when `numeric_pages`,
  // else by name), `probes` Facebook probes each; all planned before `start`.
  FacebookStudy(graph_emulator::Emulator& emulator, int companies, int probes, bool numeric_pages = true,
                const std::string& extra_config = "");

  std::string path() const { return dir.path().string(); }
  std::unique_ptr<Ledger> ledger() const;
  std::vector<InquiryRecord> facebook_inquiries() const;
  // Marks an inquiry as sent at `sent_at` with its post/comment reference (as `respbench sent`).
  void register_sent(std::int64_t inquiry_id, const std::string& ref, const std::string& sent_at) const;
  CliResult run(const std::string& now) const;
};

}  // namespace respbench::test
