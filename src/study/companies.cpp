#include "study/companies.hpp"

#include <algorithm>
#include <array>
#include <map>

#include <fmt/format.h>

#include "study/contact.hpp"
#include "util/csv.hpp"
#include "util/strings.hpp"

namespace respbench {
namespace {

constexpr std::array<std::string_view, 5> k_required = {"id", "name", "sector", "email", "facebook"};
constexpr std::array<std::string_view, 4> k_optional = {"reply_domains", "website", "country", "notes"};

bool is_known_column(std::string_view name) {
  return std::find(k_required.begin(), k_required.end(), name) != k_required.end() ||
         std::find(k_optional.begin(), k_optional.end(), name) != k_optional.end();
}

bool is_valid_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::isalnum(static_cast<unsigned char>(id.front())) &&
         id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
             std::string_view::npos;
}

}  // namespace

std::vector<Company> parse_companies(std::string_view text, const std::string& file, Diagnostics& diags) {
  std::vector<Company> companies;
  auto records = parse_csv(text, file, diags);
  if (records.empty()) {
    diags.add(file, 1, 0, fmt::format("no header row; expected {}", "id,name,sector,email,facebook"));
    return companies;
  }

  // The header: which column holds what.
  const CsvRecord& header = records.front();
  std::map<std::string, std::size_t> column_of;
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const auto& f = header.fields[i];
    auto name = to_lower_ascii(trim(f.value));
    if (!is_known_column(name)) {
      diags.add(file, f.line, f.column,
                fmt::format("unknown column \"{}\"; expected id, name, sector, email, facebook and "
                            "optionally reply_domains, website, country, notes",
                            f.value));
    } else if (!column_of.emplace(name, i).second) {
      diags.add(file, f.line, f.column, fmt::format("column \"{}\" appears twice", name));
    }
  }
  bool header_complete = true;
  for (auto required : k_required) {
    if (!column_of.contains(std::string(required))) {
      diags.add(file, header.line, 0, fmt::format("the header has no \"{}\" column; expected id,name,sector,email,facebook", required));
      header_complete = false;
    }
  }
  if (!header_complete) return companies;

  std::map<std::string, int> first_line_of_id;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& rec = records[r];
    if (rec.fields.size() != header.fields.size()) {
      diags.add(file, rec.line, 0,
                fmt::format("{} fields; expected {} as in the header (a comma inside a name needs "
                            "the field in double quotes)",
                            rec.fields.size(), header.fields.size()));
      continue;
    }
    auto cell = [&](std::string_view column) -> const CsvField* {
      auto it = column_of.find(std::string(column));
      return it == column_of.end() ? nullptr : &rec.fields[it->second];
    };
    auto value = [&](std::string_view column) {
      const CsvField* f = cell(column);
      return f == nullptr ? std::string() : std::string(trim(f->value));
    };
    auto error = [&](std::string_view column, std::string message) {
      const CsvField* f = cell(column);
      diags.add(file, f->line, f->column, std::move(message));
    };

    Company c;
    c.line = rec.line;
    c.id = value("id");
    c.name = value("name");
    c.sector = value("sector");
    c.email = value("email");
    c.website = value("website");
    c.country = value("country");
    c.notes = value("notes");

    if (c.id.empty()) {
      error("id", "empty id; expected a short unique name such as nordlicht-bank");
    } else if (!is_valid_id(c.id)) {
      error("id", fmt::format("id \"{}\" has characters other than letters, digits, '.', '_', '-'", c.id));
    } else if (auto [it, inserted] = first_line_of_id.emplace(c.id, rec.line); !inserted) {
      error("id", fmt::format("duplicate id \"{}\" (first on line {}); expected each id once", c.id, it->second));
    }
    if (c.name.empty()) error("name", "empty name; expected the company's name");
    if (c.sector.empty()) error("sector", "empty sector; expected a sector such as banks or telecoms");
    if (!c.email.empty() && !is_valid_email(c.email)) {
      error("email", fmt::format("\"{}\" is not an email address; expected name@domain, or an empty cell "
                                 "when the company offers no email",
                                 c.email));
    }
    if (auto raw = value("facebook"); !raw.empty()) {
      if (auto page = normalize_facebook_page(raw)) {
        c.facebook = *page;
      } else {
        error("facebook", fmt::format("\"{}\" is not a Facebook page; expected https://www.facebook.com/PageName, "
                                      "a page name (letters, digits, periods, at least 5) or a numeric page id",
                                      raw));
      }
    }
    for (const auto& domain : split_list(value("reply_domains"), ' ')) {
      for (const auto& d : split_list(domain, ',')) {
        if (is_valid_domain(d)) c.reply_domains.push_back(to_lower_ascii(d));
        else error("reply_domains", fmt::format("\"{}\" is not a domain name; expected e.g. help.example.org", d));
      }
    }
    companies.push_back(std::move(c));
  }
  return companies;
}

}  // namespace respbench
