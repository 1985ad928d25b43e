#pragma once
// Telling the new text of a reply from the history it quotes. Pure string work.

#include <string>
#include <string_view>

namespace respbench {

// `text` without quoted history and without a signature: lines starting with ">", and
// everything from the first history header on — "On … wrote:", "Am … schrieb …:", Outlook's
// "-----Original Message-----" / "-----Ursprüngliche Nachricht-----" and "From:/Von: …
// Sent:/Gesendet: …" blocks, forwarded-message lines — and from a "-- " signature line on.
// Blank lines at both ends are dropped, runs of blank lines become one.
std::string strip_quoted_history(std::string_view text);

}  // namespace respbench
