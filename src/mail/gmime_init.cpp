#include "mail/gmime_init.hpp"

#include <gmime/gmime.h>

namespace respbench {

void ensure_gmime() {
  static const bool k_initialised = [] {
    g_mime_init();
    return true;
  }();
  (void)k_initialised;
}

}  // namespace respbench
