#pragma once
// Hand-built StudyFigures for the report's tests and the HTML check (tests/report): three
// sectors × two channels × twelve companies with outcomes, curves and intervals that look like
// a real study's, and the texts a report must survive: a company name with ; " a line break,
// umlauts and =cmd(), and a reply that tries <script>alert(1)</script>.

#include "analysis/metrics.hpp"

namespace respbench::test {

// The awkward company name (company_list[0]).
inline constexpr const char* k_awkward_name = "=cmd()|Müller; \"Söhne\"\nGmbH";
// The hostile reply excerpt (quoted_replies[0]).
inline constexpr const char* k_hostile_excerpt = "Danke! <script>alert(1)</script> Grüße";

StudyFigures sample_figures();

}  // namespace respbench::test
