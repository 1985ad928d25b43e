#pragma once
// GMime must be initialised once per process before its first use; every GMime user in
// src/mail calls this first.

namespace respbench {

void ensure_gmime();

}  // namespace respbench
