#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "diagnostics_support.hpp"
#include "util/csv.hpp"

using respbench::CsvRecord;
using respbench::Diagnostics;
using respbench::is_valid_utf8;
using respbench::parse_csv;
using respbench::test::describe;
using respbench::test::place;

namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows values(const std::vector<CsvRecord>& records) {
  Rows rows;
  for (const auto& r : records) {
    auto& row = rows.emplace_back();
    for (const auto& f : r.fields) row.push_back(f.value);
  }
  return rows;
}

std::vector<int> record_lines(const std::vector<CsvRecord>& records) {
  std::vector<int> lines;
  for (const auto& r : records) lines.push_back(r.line);
  return lines;
}

// Parses text that must be free of errors.
std::vector<CsvRecord> parse_clean(std::string_view text) {
  Diagnostics diags;
  auto records = parse_csv(text, "t.csv", diags);
  INFO(describe(diags));
  CHECK(diags.empty());
  return records;
}

}  // namespace

TEST_CASE("parse_csv: plain records, LF line endings") {
  auto records = parse_clean("id,name\nnord,Nord AG\nsued,Süd GmbH\n");
  CHECK(values(records) == Rows{{"id", "name"}, {"nord", "Nord AG"}, {"sued", "Süd GmbH"}});
  CHECK(record_lines(records) == std::vector<int>{1, 2, 3});
}

TEST_CASE("parse_csv: quoted fields keep commas and doubled quotes") {
  auto records = parse_clean(
      "id,name\n"
      "br,\"Becker, Roth & Partner\"\n"
      "rf,\"Reisebüro \"\"Fernweh\"\" GmbH\"\n"
      "empty,\"\"\n");
  CHECK(values(records) == Rows{{"id", "name"},
                                {"br", "Becker, Roth & Partner"},
                                {"rf", "Reisebüro \"Fernweh\" GmbH"},
                                {"empty", ""}});
}

TEST_CASE("parse_csv: line breaks inside quotes are kept as LF and counted as lines") {
  SUBCASE("LF inside the quotes") {
    auto records = parse_clean("a,\"first\nsecond\",c\nnext,row,here\n");
    REQUIRE(records.size() == 2);
    CHECK(records[0].fields[1].value == "first\nsecond");
    CHECK(records[0].line == 1);
    // The field after the two-line field starts on line 2: `second",c` → column 9.
    CHECK(records[0].fields[2].line == 2);
    CHECK(records[0].fields[2].column == 9);
    CHECK(records[1].line == 3);
  }
  SUBCASE("CRLF inside the quotes becomes LF") {
    auto records = parse_clean("a,\"first\r\nsecond\",c\r\nnext,row,here\r\n");
    REQUIRE(records.size() == 2);
    CHECK(records[0].fields[1].value == "first\nsecond");
    CHECK(records[0].fields[2].value == "c");
    CHECK(records[0].fields[2].line == 2);
    CHECK(records[0].fields[2].column == 9);
    CHECK(records[1].line == 3);
    CHECK(values(records)[1] == std::vector<std::string>{"next", "row", "here"});
  }
}

TEST_CASE("parse_csv: CRLF, LF and lone CR all end a record") {
  const Rows expected{{"a", "b"}, {"c", "d"}, {"e", "f"}};
  SUBCASE("CRLF") {
    auto records = parse_clean("a,b\r\nc,d\r\ne,f\r\n");
    CHECK(values(records) == expected);
    CHECK(record_lines(records) == std::vector<int>{1, 2, 3});
  }
  SUBCASE("LF") {
    auto records = parse_clean("a,b\nc,d\ne,f\n");
    CHECK(values(records) == expected);
    CHECK(record_lines(records) == std::vector<int>{1, 2, 3});
  }
  SUBCASE("lone CR (old Mac files)") {
    auto records = parse_clean("a,b\rc,d\re,f\r");
    CHECK(values(records) == expected);
    CHECK(record_lines(records) == std::vector<int>{1, 2, 3});
  }
  SUBCASE("mixed") {
    auto records = parse_clean("a,b\r\nc,d\re,f\n");
    CHECK(values(records) == expected);
    CHECK(record_lines(records) == std::vector<int>{1, 2, 3});
  }
}

TEST_CASE("parse_csv: a UTF-8 byte order mark is skipped") {
  auto records = parse_clean("\xEF\xBB\xBFid,name\nx,y\n");
  REQUIRE(records.size() == 2);
  CHECK(records[0].fields[0].value == "id");  // not "\xEF\xBB\xBFid"
  CHECK(records[0].fields[0].column == 1);
  CHECK(records[0].fields[1].column == 4);
}

TEST_CASE("parse_csv: a trailing comma gives an empty last field") {
  auto records = parse_clean("a,b,\n");
  REQUIRE(records.size() == 1);
  CHECK(values(records)[0] == std::vector<std::string>{"a", "b", ""});
  CHECK(records[0].fields[2].column == 5);
}

TEST_CASE("parse_csv: empty input, blank lines, last line without a newline") {
  SUBCASE("empty file") { CHECK(parse_clean("").empty()); }
  SUBCASE("only blank lines") { CHECK(parse_clean("\n\r\n\n").empty()); }
  SUBCASE("blank lines between records are skipped but counted") {
    auto records = parse_clean("a,b\n\n\r\nc,d\n\n");
    CHECK(values(records) == Rows{{"a", "b"}, {"c", "d"}});
    CHECK(record_lines(records) == std::vector<int>{1, 4});
  }
  SUBCASE("no newline at the end") {
    auto records = parse_clean("a,b\nc,d");
    CHECK(values(records) == Rows{{"a", "b"}, {"c", "d"}});
  }
  SUBCASE("quoted last field without a newline") {
    auto records = parse_clean("a,\"b, c\"");
    CHECK(values(records) == Rows{{"a", "b, c"}});
  }
}

TEST_CASE("parse_csv: field positions count characters, not bytes") {
  // "Müller" is 6 characters and 7 bytes; "Öl" 2 characters and 3 bytes.
  auto records = parse_clean("id,x\nMüller,Öl,z\n");
  REQUIRE(records.size() == 2);
  const auto& f = records[1].fields;
  REQUIRE(f.size() == 3);
  CHECK(f[0].line == 2);
  CHECK(f[0].column == 1);
  CHECK(f[1].column == 8);
  CHECK(f[2].column == 11);
}

TEST_CASE("parse_csv: an unterminated quote is reported where it opens, and later records are read") {
  Diagnostics diags;
  auto records = parse_csv(
      "a,b\n"
      "c,\"never closed\n"
      "d,e\n"
      "f,g\n",
      "t.csv", diags);
  INFO(describe(diags));
  REQUIRE(diags.size() == 1);
  const auto& d = diags.items()[0];
  CHECK(d.file == "t.csv");
  CHECK(place(d) == "2:3");
  CHECK(d.message.find("unterminated quoted field") != std::string::npos);
  // The broken record is dropped; reading resumes on the line after it.
  CHECK(values(records) == Rows{{"a", "b"}, {"d", "e"}, {"f", "g"}});
  CHECK(record_lines(records) == std::vector<int>{1, 3, 4});
}

TEST_CASE("parse_csv: an unterminated quote before later quoted fields is still reported on its own line") {
  // The stray quote on line 2 pairs with the opening quote on line 4; the parser must not blame
  // line 4, which is fine, and must still read lines 3 to 5.
  Diagnostics diags;
  auto records = parse_csv(
      "id,name,notes\n"
      "a,\"Nord AG,x\n"
      "b,Süd AG,y\n"
      "c,\"West, Ost\",z\n"
      "d,Mitte,\"q\"\n",
      "t.csv", diags);
  INFO(describe(diags));
  REQUIRE(diags.size() == 1);
  CHECK(place(diags.items()[0]) == "2:3");
  CHECK(diags.items()[0].message.find("unterminated") != std::string::npos);
  CHECK(diags.items()[0].message.find("line 4 column 3") != std::string::npos);
  CHECK(values(records) ==
        Rows{{"id", "name", "notes"}, {"b", "Süd AG", "y"}, {"c", "West, Ost", "z"}, {"d", "Mitte", "q"}});
  CHECK(record_lines(records) == std::vector<int>{1, 3, 4, 5});
}

TEST_CASE("parse_csv: a quote inside an unquoted field") {
  Diagnostics diags;
  auto records = parse_csv("a,b\nx,Reisebüro \"Fernweh\"\ny,z\n", "t.csv", diags);
  INFO(describe(diags));
  REQUIRE(diags.size() == 1);
  // `x,Reisebüro "` → the quote is character 13 of line 2.
  CHECK(place(diags.items()[0]) == "2:13");
  CHECK(diags.items()[0].message.find("double quote inside an unquoted field") != std::string::npos);
  CHECK(values(records) == Rows{{"a", "b"}, {"y", "z"}});
}

TEST_CASE("parse_csv: text after a closing quote") {
  Diagnostics diags;
  auto records = parse_csv("a,b\nx,\"Nord\" AG\ny,z\n", "t.csv", diags);
  INFO(describe(diags));
  REQUIRE(diags.size() == 1);
  // `x,"Nord"` is 8 characters; the space after it is column 9.
  CHECK(place(diags.items()[0]) == "2:9");
  CHECK(diags.items()[0].message.find("after a closing quote") != std::string::npos);
  CHECK(values(records) == Rows{{"a", "b"}, {"y", "z"}});
}

TEST_CASE("parse_csv: bytes that are not UTF-8 (a Latin-1 file)") {
  Diagnostics diags;
  // "Müller" saved as Latin-1: ü is the single byte 0xFC.
  auto records = parse_csv("id,name\nm,M\xFCller\nn,Nord\n", "t.csv", diags);
  INFO(describe(diags));
  REQUIRE(diags.size() == 1);
  const auto& d = diags.items()[0];
  CHECK(place(d) == "2:3");  // the field that holds the byte
  CHECK(d.message.find("0xFC") != std::string::npos);
  CHECK(d.message.find("UTF-8") != std::string::npos);
  CHECK(values(records) == Rows{{"id", "name"}, {"n", "Nord"}});
}

TEST_CASE("parse_csv: several errors are all reported in one pass") {
  Diagnostics diags;
  auto records = parse_csv(
      "a,b\n"
      "x\"y,1\n"
      "ok,2\n"
      "\"z\"q,3\n"
      "ok,4\n"
      "w,\"open\n",
      "t.csv", diags);
  INFO(describe(diags));
  REQUIRE(diags.size() == 3);
  auto sorted = diags.sorted();
  CHECK(place(sorted[0]) == "2:2");
  CHECK(place(sorted[1]) == "4:4");
  CHECK(place(sorted[2]) == "6:3");
  CHECK(values(records) == Rows{{"a", "b"}, {"ok", "2"}, {"ok", "4"}});
}

TEST_CASE("is_valid_utf8") {
  std::size_t bad = 99;
  SUBCASE("well-formed text of every length") {
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("plain ASCII"));
    CHECK(is_valid_utf8("Grüße, € und 😀"));
    CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
    CHECK(is_valid_utf8("\xEF\xBB\xBF"));      // a BOM is a valid character
  }
  SUBCASE("Latin-1 byte") {
    CHECK_FALSE(is_valid_utf8("M\xFCller", &bad));
    CHECK(bad == 1);
  }
  SUBCASE("overlong encodings") {
    CHECK_FALSE(is_valid_utf8("ab\xC0\xAF", &bad));  // '/' in two bytes
    CHECK(bad == 2);
    CHECK_FALSE(is_valid_utf8("\xC1\xBF", &bad));
    CHECK(bad == 0);
    CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF", &bad));  // '/' in three bytes
    CHECK(bad == 0);
    CHECK_FALSE(is_valid_utf8("x\xF0\x80\x80\xAF", &bad));  // '/' in four bytes
    CHECK(bad == 1);
    CHECK(is_valid_utf8("\xC2\x80"));      // U+0080, the shortest two-byte form
    CHECK(is_valid_utf8("\xE0\xA0\x80"));  // U+0800
  }
  SUBCASE("surrogates") {
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80", &bad));  // U+D800
    CHECK(bad == 0);
    CHECK_FALSE(is_valid_utf8("ok\xED\xBF\xBF", &bad));  // U+DFFF
    CHECK(bad == 2);
    CHECK(is_valid_utf8("\xED\x9F\xBF"));  // U+D7FF, just below
  }
  SUBCASE("past U+10FFFF and bytes that never start a character") {
    CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));
    CHECK_FALSE(is_valid_utf8("\xF8\x88\x80\x80\x80"));
    CHECK_FALSE(is_valid_utf8("\xFF"));
    CHECK_FALSE(is_valid_utf8("a\x80", &bad));  // a lone continuation byte
    CHECK(bad == 1);
  }
  SUBCASE("truncated sequences") {
    CHECK_FALSE(is_valid_utf8("abc\xC3", &bad));  // ü without its second byte, at the end
    CHECK(bad == 3);
    CHECK_FALSE(is_valid_utf8("\xE2\x82", &bad));  // € cut short
    CHECK(bad == 0);
    CHECK_FALSE(is_valid_utf8("\xE2\x82x", &bad));  // € cut short by an ASCII byte
    CHECK(bad == 0);
    CHECK_FALSE(is_valid_utf8("\xF0\x9F\x98", &bad));  // 😀 cut short
    CHECK(bad == 0);
  }
}
