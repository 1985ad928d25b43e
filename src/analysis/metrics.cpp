#include "analysis/metrics.hpp"

namespace respbench {

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::answered: return "answered";
    case Outcome::unanswered: return "unanswered";
    case Outcome::open: return "open";
    case Outcome::undeliverable: return "undeliverable";
    case Outcome::not_sent: return "not_sent";
  }
  return "?";
}

}  // namespace respbench
