// The Graph API emulator: the shapes of notes/graph-api.md, served by cpp-httplib.

#include "emulator.hpp"

#include <algorithm>
#include <cstdio>
#include <tuple>
#include <map>
#include <set>
#include <stdexcept>

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace respbench::graph_emulator {
namespace {

using Json = rapidjson::Value;
using Alloc = rapidjson::Document::AllocatorType;
using Params = std::map<std::string, std::string>;

// Posts and comments get numbers in the range of real ones.
constexpr std::uint64_t k_first_number = 10158349356740000ULL;
constexpr std::size_t k_max_limit = 100;
constexpr std::size_t k_default_limit = 25;
constexpr std::size_t k_max_batch = 50;
constexpr std::size_t k_detailed_messages = 20;

std::string to_json(const Json& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  v.Accept(w);
  return buffer.GetString();
}

Json str(const std::string& s, Alloc& a) { return Json(s.c_str(), static_cast<rapidjson::SizeType>(s.size()), a); }

std::string base64(const std::string& text) {
  static constexpr char k_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < text.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(text[i]) << 16) | (static_cast<unsigned char>(text[i + 1]) << 8) |
                       static_cast<unsigned char>(text[i + 2]);
    for (int s : {18, 12, 6, 0}) out += k_chars[(n >> s) & 63];
  }
  if (i < text.size()) {
    unsigned n = static_cast<unsigned char>(text[i]) << 16;
    if (i + 1 < text.size()) n |= static_cast<unsigned char>(text[i + 1]) << 8;
    out += k_chars[(n >> 18) & 63];
    out += k_chars[(n >> 12) & 63];
    out += i + 1 < text.size() ? k_chars[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string unbase64(const std::string& text) {
  static const std::string k_chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned n = 0;
  int bits = 0;
  for (char c : text) {
    auto p = k_chars.find(c);
    if (p == std::string::npos) break;
    n = (n << 6) | static_cast<unsigned>(p);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((n >> bits) & 0xFF);
    }
  }
  return out;
}

std::string url_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') out += ' ';
    else if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else out += s[i];
  }
  return out;
}

std::string url_encode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') out += static_cast<char>(c);
    else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

Params parse_query(std::string_view q) {
  Params out;
  while (!q.empty()) {
    auto amp = q.find('&');
    auto part = q.substr(0, amp);
    auto eq = part.find('=');
    if (!part.empty()) out[url_decode(part.substr(0, eq))] = eq == std::string_view::npos ? "" : url_decode(part.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return out;
}

std::string hmac_sha256_hex(const std::string& key, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &len);
  std::string hex;
  for (unsigned i = 0; i < len; ++i) {
    char buf[3];
    std::snprintf(buf, sizeof buf, "%02x", out[i]);
    hex += buf;
  }
  return hex;
}

// fields=id,from{id,name},comments.filter(stream).limit(100){id,message}
struct Field {
  std::string name;
  Params modifiers;
  std::vector<Field> sub;
};

std::vector<Field> parse_fields(std::string_view s, std::size_t& pos) {
  std::vector<Field> out;
  while (pos < s.size() && s[pos] != '}') {
    Field f;
    while (pos < s.size() && std::string_view(",.{}(").find(s[pos]) == std::string_view::npos) f.name += s[pos++];
    while (pos < s.size() && s[pos] == '.') {
      ++pos;
      std::string mod, value;
      while (pos < s.size() && s[pos] != '(') mod += s[pos++];
      ++pos;
      while (pos < s.size() && s[pos] != ')') value += s[pos++];
      ++pos;
      f.modifiers[mod] = value;
    }
    if (pos < s.size() && s[pos] == '{') {
      ++pos;
      f.sub = parse_fields(s, pos);
      ++pos;  // '}'
    }
    if (!f.name.empty()) out.push_back(std::move(f));
    if (pos < s.size() && s[pos] == ',') ++pos;
  }
  return out;
}

std::vector<Field> parse_fields(std::string_view s) {
  std::size_t pos = 0;
  return parse_fields(s, pos);
}

std::string fields_text(const std::vector<Field>& fields) {
  std::string out;
  for (const auto& f : fields) {
    if (!out.empty()) out += ',';
    out += f.name;
    for (const auto& [m, v] : f.modifiers) out += "." + m + "(" + v + ")";
    if (!f.sub.empty()) out += "{" + fields_text(f.sub) + "}";
  }
  return out;
}

const Field* find_field(const std::vector<Field>& fields, std::string_view name) {
  for (const auto& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

enum class Kind { page, post, comment, conversation, message };

struct Object {
  Kind kind = Kind::post;
  std::string id;
  std::string name, username;  // pages
  std::string page_id;         // posts, conversations
  std::string on;              // comments: the object commented on; messages: the conversation
  std::string post_id;         // comments: their post
  Person from;
  std::string message;
  std::string created_time;
  std::uint64_t seq = 0;
  std::vector<std::string> children;  // comments, or a conversation's messages
};

struct ApiError {
  int status;
  int code;
  int subcode;
  std::string type;
  std::string message;
  bool transient = false;
};

}  // namespace

struct Emulator::State {
  mutable std::mutex mutex;
  httplib::Server server;
  std::string base;  // http://127.0.0.1:PORT/vNN.0
  std::map<std::string, Object> objects;
  std::map<std::string, std::string> usernames;  // page username → id
  std::map<std::string, TokenKind> tokens;
  std::string app_secret;
  std::set<std::string> forbidden;
  Faults faults;
  Stats stats;
  std::uint64_t allowance = 1000;
  std::uint64_t next_number = k_first_number;
  std::uint64_t next_seq = 0;
  std::uint64_t traces = 0;

  // -- answers ----------------------------------------------------------------------------------

  Emulator::Answer error(const ApiError& e) {
    rapidjson::Document d(rapidjson::kObjectType);
    auto& a = d.GetAllocator();
    Json err(rapidjson::kObjectType);
    err.AddMember("message", str(e.message, a), a);
    err.AddMember("type", str(e.type, a), a);
    err.AddMember("code", e.code, a);
    if (e.subcode) err.AddMember("error_subcode", e.subcode, a);
    if (e.transient) err.AddMember("is_transient", true, a);
    err.AddMember("fbtrace_id", str("AbCdEf" + std::to_string(++traces), a), a);
    d.AddMember("error", err, a);
    return {e.status, to_json(d), false};
  }

  bool limited() const { return faults.rate_limit_after && stats.calls > *faults.rate_limit_after; }

  std::vector<std::pair<std::string, std::string>> usage_headers() const {
    const int pct = limited() ? 100
                              : static_cast<int>(std::min<std::uint64_t>(99, stats.calls * 100 / std::max<std::uint64_t>(1, allowance)));
    const int regain = limited() ? faults.regain_minutes : 0;
    const std::string app = "{\"call_count\":" + std::to_string(pct) + ",\"total_time\":" + std::to_string(pct / 2) +
                            ",\"total_cputime\":" + std::to_string(pct / 2) + "}";
    std::string page_id = "0";
    for (const auto& [id, o] : objects) {
      if (o.kind == Kind::page) {
        page_id = id;
        break;
      }
    }
    const std::string buc = "{\"" + page_id + "\":[{\"type\":\"pages\",\"call_count\":" + std::to_string(pct) +
                            ",\"total_cputime\":" + std::to_string(pct / 2) + ",\"total_time\":" +
                            std::to_string(pct / 2) + ",\"estimated_time_to_regain_access\":" + std::to_string(regain) +
                            "}]}";
    return {{"x-app-usage", app}, {"x-business-use-case-usage", buc}};
  }

  std::optional<ApiError> check_token(const Params& params, TokenKind& kind) {
    auto t = params.find("access_token");
    if (t == params.end() || t->second.empty()) {
      return ApiError{400, 2500, 0, "OAuthException", "An active access token must be used to query information about the current user."};
    }
    auto known = tokens.find(t->second);
    if (known == tokens.end()) {
      return ApiError{400, 190, 0, "OAuthException", "Invalid OAuth access token - Cannot parse access token"};
    }
    if (faults.token_expired) {
      return ApiError{400, 190, 463, "OAuthException",
                      "Error validating access token: Session has expired on Monday, 02-Mar-26 10:00:00 PST. The "
                      "current time is Tuesday, 03-Mar-26 09:00:00 PST."};
    }
    kind = known->second;
    if (!app_secret.empty() && kind == TokenKind::page) {
      auto proof = params.find("appsecret_proof");
      if (proof == params.end()) {
        return ApiError{400, 100, 0, "OAuthException",
                        "(#100) Pages Public Content Access requires either app secret proof or an app token"};
      }
      if (proof->second != hmac_sha256_hex(app_secret, t->second)) {
        return ApiError{400, 100, 0, "GraphMethodException", "Invalid appsecret_proof provided in the API argument"};
      }
    }
    return std::nullopt;
  }

  std::optional<ApiError> rate_limit() const {
    if (!limited()) return std::nullopt;
    switch (faults.rate_limit_code) {
      case 17: return ApiError{400, 17, 0, "OAuthException", "(#17) User request limit reached", true};
      case 32: return ApiError{400, 32, 0, "OAuthException", "(#32) Page request limit reached", true};
      case 613: return ApiError{400, 613, 0, "OAuthException", "(#613) Calls to this api have exceeded the rate limit."};
      case 80001:
        return ApiError{400, 80001, 0, "OAuthException",
                        "(#80001) There have been too many calls to this Page account. Wait a bit and try again."};
      default: return ApiError{400, 4, 0, "OAuthException", "(#4) Application request limit reached", true};
    }
  }

  Object* find(const std::string& id_or_name) {
    auto it = objects.find(id_or_name);
    if (it != objects.end()) return &it->second;
    auto name = usernames.find(id_or_name);
    if (name != usernames.end()) return &objects.at(name->second);
    return nullptr;
  }

  ApiError unknown(const std::string& id) const {
    return ApiError{400, 100, 33, "GraphMethodException",
                    "Unsupported get request. Object with ID '" + id +
                        "' does not exist, cannot be loaded due to missing permissions, or does not support this "
                        "operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api"};
  }

  std::string permalink(const Object& o) {
    if (o.kind == Kind::post) {
      const Object& page = objects.at(o.page_id);
      return "https://www.facebook.com/" + page.username + "/posts/" + o.id.substr(o.id.find('_') + 1);
    }
    if (o.kind != Kind::comment) return {};
    const Object& post = objects.at(o.post_id);
    const Object& page = objects.at(post.page_id);
    const std::string number = o.id.substr(o.id.find('_') + 1);
    std::string link = "https://www.facebook.com/" + page.username + "/posts/" + post.id.substr(post.id.find('_') + 1);
    const Object& on = objects.at(o.on);
    if (on.kind == Kind::comment) return link + "?comment_id=" + on.id.substr(on.id.find('_') + 1) + "&reply_comment_id=" + number;
    return link + "?comment_id=" + number;
  }

  void collect(const Object& o, bool stream, std::vector<const Object*>& out) const {
    for (const auto& child : o.children) {
      const Object& c = objects.at(child);
      out.push_back(&c);
      if (stream) collect(c, true, out);
    }
  }

  // The `comments` edge of `o`: one page of it.
  Json comments_page(const Object& o, const Params& mods, const std::vector<Field>& fields, TokenKind kind,
                     const std::string& token, Alloc& a) {
    const bool stream = mods.count("filter") && mods.at("filter") == "stream";
    std::vector<const Object*> list;
    collect(o, stream, list);
    std::stable_sort(list.begin(), list.end(), [](const Object* x, const Object* y) {
      return std::tie(x->created_time, x->seq) < std::tie(y->created_time, y->seq);
    });
    const std::string order = mods.count("order") ? mods.at("order") : "chronological";
    if (order == "reverse_chronological") std::reverse(list.begin(), list.end());
    std::size_t limit = mods.count("limit") ? std::stoul(mods.at("limit")) : k_default_limit;
    limit = std::clamp<std::size_t>(limit, 1, k_max_limit);
    std::size_t start = 0;
    if (mods.count("after")) start = std::stoul("0" + unbase64(mods.at("after")));
    start = std::min(start, list.size());
    const std::size_t end = std::min(list.size(), start + limit);

    std::vector<Field> wanted = fields;
    if (wanted.empty()) wanted = parse_fields("created_time,from,message,id");
    Json page(rapidjson::kObjectType);
    Json data(rapidjson::kArrayType);
    for (std::size_t i = start; i < end; ++i) data.PushBack(render(*list[i], wanted, kind, token, a), a);
    page.AddMember("data", data, a);
    if (end > start) {
      Json paging(rapidjson::kObjectType);
      Json cursors(rapidjson::kObjectType);
      cursors.AddMember("before", str(base64(std::to_string(start)), a), a);
      cursors.AddMember("after", str(base64(std::to_string(end)), a), a);
      paging.AddMember("cursors", cursors, a);
      // Like the real API: a full page has a `next`, even when nothing follows it.
      if (end - start == limit) {
        std::string next = base + "/" + o.id + "/comments?access_token=" + url_encode(token);
        if (!fields.empty()) next += "&fields=" + url_encode(fields_text(fields));
        for (std::string key : {"filter", "order", "summary"}) {
          if (mods.count(key)) next += "&" + key + "=" + url_encode(mods.at(key));
        }
        next += "&limit=" + std::to_string(limit) + "&after=" + url_encode(base64(std::to_string(end)));
        paging.AddMember("next", str(next, a), a);
      }
      page.AddMember("paging", paging, a);
    }
    if (mods.count("summary") && mods.at("summary") == "true") {
      Json summary(rapidjson::kObjectType);
      summary.AddMember("order", str(order, a), a);
      summary.AddMember("total_count", static_cast<std::uint64_t>(list.size()), a);
      summary.AddMember("can_comment", true, a);
      page.AddMember("summary", summary, a);
    }
    return page;
  }

  Json messages_page(const Object& conversation, const std::vector<Field>& fields, Alloc& a) {
    Json page(rapidjson::kObjectType);
    Json data(rapidjson::kArrayType);
    std::vector<const Object*> list;
    for (const auto& id : conversation.children) list.push_back(&objects.at(id));
    std::reverse(list.begin(), list.end());  // newest first
    for (std::size_t i = 0; i < list.size(); ++i) {
      Json m(rapidjson::kObjectType);
      m.AddMember("id", str(list[i]->id, a), a);
      // Only the newest messages come with their details.
      if (i < k_detailed_messages) {
        if (fields.empty() || find_field(fields, "message")) m.AddMember("message", str(list[i]->message, a), a);
        if (fields.empty() || find_field(fields, "created_time"))
          m.AddMember("created_time", str(list[i]->created_time, a), a);
        if (fields.empty() || find_field(fields, "from")) {
          Json from(rapidjson::kObjectType);
          from.AddMember("id", str(list[i]->from.id, a), a);
          from.AddMember("name", str(list[i]->from.name, a), a);
          m.AddMember("from", from, a);
        }
      }
      data.PushBack(m, a);
    }
    page.AddMember("data", data, a);
    return page;
  }

  Json render(const Object& o, const std::vector<Field>& fields, TokenKind kind, const std::string& token, Alloc& a) {
    Json out(rapidjson::kObjectType);
    const bool hide = kind == TokenKind::app && o.kind == Kind::comment;
    for (const auto& f : fields) {
      if (f.name == "id") {
        if (!hide) out.AddMember("id", str(o.id, a), a);
      } else if (f.name == "name" && o.kind == Kind::page) {
        out.AddMember("name", str(o.name, a), a);
      } else if (f.name == "username" && o.kind == Kind::page) {
        out.AddMember("username", str(o.username, a), a);
      } else if (f.name == "from" && (o.kind == Kind::post || o.kind == Kind::comment)) {
        if (hide) continue;
        Json from(rapidjson::kObjectType);
        if (f.sub.empty() || find_field(f.sub, "id")) from.AddMember("id", str(o.from.id, a), a);
        if (f.sub.empty() || find_field(f.sub, "name")) from.AddMember("name", str(o.from.name, a), a);
        out.AddMember("from", from, a);
      } else if (f.name == "message" && (o.kind == Kind::post || o.kind == Kind::comment)) {
        out.AddMember("message", str(o.message, a), a);
      } else if (f.name == "created_time" && (o.kind == Kind::post || o.kind == Kind::comment)) {
        out.AddMember("created_time", str(o.created_time, a), a);
      } else if (f.name == "updated_time" && o.kind == Kind::conversation) {
        const std::string t = o.children.empty() ? "" : objects.at(o.children.back()).created_time;
        out.AddMember("updated_time", str(t, a), a);
      } else if (f.name == "parent" && o.kind == Kind::comment) {
        const Object& on = objects.at(o.on);
        if (on.kind == Kind::comment) {
          Json parent(rapidjson::kObjectType);
          parent.AddMember("id", str(on.id, a), a);
          out.AddMember("parent", parent, a);
        }
      } else if (f.name == "permalink_url" && (o.kind == Kind::post || o.kind == Kind::comment)) {
        out.AddMember("permalink_url", str(permalink(o), a), a);
      } else if (f.name == "comment_count" && (o.kind == Kind::post || o.kind == Kind::comment)) {
        out.AddMember("comment_count", static_cast<std::uint64_t>(o.children.size()), a);
      } else if (f.name == "comments" && (o.kind == Kind::post || o.kind == Kind::comment)) {
        // The nested edge: absent when empty, as the real API does.
        if (o.children.empty()) continue;
        out.AddMember("comments", comments_page(o, f.modifiers, f.sub, kind, token, a), a);
      } else if (f.name == "messages" && o.kind == Kind::conversation) {
        out.AddMember("messages", messages_page(o, f.sub, a), a);
      }
    }
    return out;
  }

  // One API call: GET `path` ("12_34/comments", "12_34") with `params`.
  Emulator::Answer call(const std::string& path, const Params& params) {
    ++stats.calls;
    TokenKind kind = TokenKind::page;
    if (auto e = check_token(params, kind)) return error(*e);
    if (auto e = rate_limit()) return error(*e);

    std::string id = path;
    std::string edge;
    if (auto slash = path.find('/'); slash != std::string::npos) {
      id = path.substr(0, slash);
      edge = path.substr(slash + 1);
    }
    Object* o = find(id);
    if (o == nullptr) {
      if (id.find_first_not_of("0123456789_") != std::string::npos) {
        return error(ApiError{404, 803, 0, "OAuthException", "(#803) Some of the aliases you requested do not exist: " + id});
      }
      return error(unknown(id));
    }
    if (forbidden.count(o->id)) {
      return error(ApiError{403, 10, 0, "OAuthException",
                            "(#10) This endpoint requires the 'pages_read_engagement' permission or the 'Page Public "
                            "Content Access' feature."});
    }
    const std::string token = params.at("access_token");
    rapidjson::Document d(rapidjson::kObjectType);
    auto& a = d.GetAllocator();
    const auto fields = parse_fields(params.count("fields") ? params.at("fields") : "");
    if (edge.empty()) {
      auto wanted = fields;
      if (wanted.empty()) wanted = parse_fields(o->kind == Kind::page ? "name,id" : "created_time,message,id");
      Json out = render(*o, wanted, kind, token, a);
      // Objects always answer with their id, as the real API does.
      if (!out.HasMember("id") && !(kind == TokenKind::app && o->kind == Kind::comment)) out.AddMember("id", str(o->id, a), a);
      return {200, to_json(out), false};
    }
    if (edge == "comments" && (o->kind == Kind::post || o->kind == Kind::comment)) {
      Params mods;
      for (std::string key : {"filter", "order", "limit", "after", "summary"}) {
        if (params.count(key)) mods[key] = params.at(key);
      }
      Json page = comments_page(*o, mods, fields, kind, token, a);
      return {200, to_json(page), false};
    }
    if (edge == "conversations" && o->kind == Kind::page) {
      if (kind != TokenKind::page) {
        return error(ApiError{403, 200, 0, "OAuthException", "(#200) Requires pages_messaging permission to manage the object"});
      }
      Json data(rapidjson::kArrayType);
      for (const auto& [cid, c] : objects) {
        if (c.kind != Kind::conversation || c.page_id != o->id) continue;
        Json item(rapidjson::kObjectType);
        item.AddMember("id", str(cid, a), a);
        const std::string t = c.children.empty() ? "" : objects.at(c.children.back()).created_time;
        item.AddMember("updated_time", str(t, a), a);
        data.PushBack(item, a);
      }
      d.AddMember("data", data, a);
      return {200, to_json(d), false};
    }
    return error(ApiError{400, 100, 0, "OAuthException", "(#100) Tried accessing nonexisting field (" + edge + ")"});
  }

  Emulator::Answer batch(const Params& params) {
    TokenKind kind = TokenKind::page;
    if (auto e = check_token(params, kind)) return error(*e);
    auto it = params.find("batch");
    rapidjson::Document in;
    if (it == params.end() || in.Parse(it->second.c_str()).HasParseError() || !in.IsArray()) {
      return error(ApiError{400, 100, 0, "OAuthException", "(#100) The parameter batch is required"});
    }
    if (in.Size() > k_max_batch) {
      return error(ApiError{400, 100, 0, "OAuthException", "(#100) Too many requests in batch message. Maximum batch size is 50"});
    }
    rapidjson::Document out(rapidjson::kArrayType);
    auto& a = out.GetAllocator();
    for (auto& item : in.GetArray()) {
      std::string url = item.HasMember("relative_url") && item["relative_url"].IsString() ? item["relative_url"].GetString() : "";
      while (url.starts_with('/')) url.erase(0, 1);
      stats.log.push_back("  GET /" + url.substr(0, url.find('?')));
      if (faults.batch_nulls > 0) {
        --faults.batch_nulls;
        ++stats.calls;
        out.PushBack(Json(rapidjson::kNullType), a);
        continue;
      }
      Params sub = params;
      sub.erase("batch");
      const auto q = url.find('?');
      for (auto& [k, v] : parse_query(q == std::string::npos ? "" : url.substr(q + 1))) sub[k] = v;
      auto answer = call(url.substr(0, q), sub);
      Json entry(rapidjson::kObjectType);
      entry.AddMember("code", answer.status, a);
      Json hs(rapidjson::kArrayType);
      auto add_header = [&](const std::string& n, const std::string& v) {
        Json h(rapidjson::kObjectType);
        h.AddMember("name", str(n, a), a);
        h.AddMember("value", str(v, a), a);
        hs.PushBack(h, a);
      };
      add_header("Content-Type", "text/javascript; charset=UTF-8");
      for (const auto& [n, v] : usage_headers()) add_header(n, v);
      entry.AddMember("headers", hs, a);
      entry.AddMember("body", str(answer.body, a), a);
      out.PushBack(entry, a);
    }
    return {200, to_json(out), false};
  }

  void reply(httplib::Response& res, const Emulator::Answer& answer) {
    res.status = answer.status;
    for (const auto& [n, v] : usage_headers()) res.set_header(n, v);
    res.set_content(answer.body, "application/json; charset=UTF-8");
  }

  // Faults that hit a whole HTTP request; true when it was answered so.
  bool http_fault(httplib::Response& res) {
    if (faults.server_errors > 0) {
      --faults.server_errors;
      reply(res, error(ApiError{500, 2, 0, "OAuthException", "An unexpected error has occurred. Please retry your request later.", true}));
      return true;
    }
    return false;
  }
};

Emulator::Emulator(int port, std::string version) : m_state(std::make_unique<State>()), m_version(std::move(version)) {
  State& s = *m_state;
  const std::string prefix = "/" + m_version;
  auto params_of = [](const httplib::Request& req) {
    Params p;
    for (const auto& [k, v] : req.params) p[k] = v;
    return p;
  };
  auto delay = [&s] {
    std::chrono::milliseconds d;
    {
      std::lock_guard lock(s.mutex);
      d = s.faults.delay;
    }
    if (d.count() > 0) std::this_thread::sleep_for(d);
  };
  s.server.Get(prefix + R"(/(.+))", [&s, params_of, delay](const httplib::Request& req, httplib::Response& res) {
    delay();
    std::lock_guard lock(s.mutex);
    ++s.stats.http_requests;
    s.stats.log.push_back("GET /" + std::string(req.matches[1]));
    if (s.http_fault(res)) return;
    s.reply(res, s.call(req.matches[1], params_of(req)));
  });
  // With a content reader: httplib refuses form bodies over 8 KiB otherwise, and a batch of 50
  // is larger than that (the real API takes it).
  s.server.Post(prefix + R"(/?)", [&s, delay](const httplib::Request& req, httplib::Response& res,
                                              const httplib::ContentReader& content) {
    std::string body;
    content([&](const char* data, std::size_t size) {
      body.append(data, size);
      return true;
    });
    delay();
    std::lock_guard lock(s.mutex);
    ++s.stats.http_requests;
    ++s.stats.batch_requests;
    Params p;
    for (const auto& [k, v] : req.params) p[k] = v;
    for (auto& [k, v] : parse_query(body)) p[k] = v;
    s.stats.log.push_back("BATCH");
    if (s.http_fault(res)) return;
    s.reply(res, s.batch(p));
  });
  // The program's control endpoint: faults as JSON {"rate_limit_after":3,"rate_limit_code":613,…}.
  s.server.Post("/__control", [&s](const httplib::Request& req, httplib::Response& res) {
    rapidjson::Document d;
    if (d.Parse(req.body.c_str()).HasParseError() || !d.IsObject()) {
      res.status = 400;
      return;
    }
    std::lock_guard lock(s.mutex);
    Faults& f = s.faults;
    if (d.HasMember("rate_limit_after")) {
      if (d["rate_limit_after"].IsUint64()) f.rate_limit_after = d["rate_limit_after"].GetUint64();
      else f.rate_limit_after.reset();
    }
    if (d.HasMember("rate_limit_code") && d["rate_limit_code"].IsInt()) f.rate_limit_code = d["rate_limit_code"].GetInt();
    if (d.HasMember("regain_minutes") && d["regain_minutes"].IsInt()) f.regain_minutes = d["regain_minutes"].GetInt();
    if (d.HasMember("token_expired") && d["token_expired"].IsBool()) f.token_expired = d["token_expired"].GetBool();
    if (d.HasMember("server_errors") && d["server_errors"].IsInt()) f.server_errors = d["server_errors"].GetInt();
    if (d.HasMember("batch_nulls") && d["batch_nulls"].IsInt()) f.batch_nulls = d["batch_nulls"].GetInt();
    if (d.HasMember("delay_ms") && d["delay_ms"].IsInt()) f.delay = std::chrono::milliseconds(d["delay_ms"].GetInt());
    res.set_content("{\"ok\":true}", "application/json");
  });
  s.server.Get("/__stats", [&s](const httplib::Request&, httplib::Response& res) {
    std::lock_guard lock(s.mutex);
    res.set_content("{\"http_requests\":" + std::to_string(s.stats.http_requests) + ",\"batch_requests\":" +
                        std::to_string(s.stats.batch_requests) + ",\"calls\":" + std::to_string(s.stats.calls) + "}",
                    "application/json");
  });

  // Headers and body go out in two writes; without TCP_NODELAY the second waits for the client's
  // delayed ACK, 40 ms per answer on loopback — a delay the real API does not have.
  s.server.set_tcp_nodelay(true);
  if (port == 0) {
    m_port = s.server.bind_to_any_port("127.0.0.1");
  } else {
    m_port = s.server.bind_to_port("127.0.0.1", port) ? port : -1;
  }
  if (m_port <= 0) throw std::runtime_error("graph emulator: cannot listen on 127.0.0.1");
  s.base = "http://127.0.0.1:" + std::to_string(m_port) + "/" + m_version;
  m_thread = std::thread([&s] { s.server.listen_after_bind(); });
  while (!s.server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

Emulator::~Emulator() {
  m_state->server.stop();
  if (m_thread.joinable()) m_thread.join();
}

std::string Emulator::base_url() const { return m_state->base; }

void Emulator::add_page(const std::string& id, const std::string& name, const std::string& username) {
  std::lock_guard lock(m_state->mutex);
  Object o;
  o.kind = Kind::page;
  o.id = id;
  o.name = name;
  o.username = username;
  o.seq = m_state->next_seq++;
  m_state->objects[id] = o;
  if (!username.empty()) m_state->usernames[username] = id;
}

std::string Emulator::add_post(const std::string& page_id, const Person& from, const std::string& message,
                               const std::string& created_time) {
  std::lock_guard lock(m_state->mutex);
  Object o;
  o.kind = Kind::post;
  o.id = page_id + "_" + std::to_string(m_state->next_number++);
  o.page_id = page_id;
  o.from = from;
  o.message = message;
  o.created_time = created_time;
  o.seq = m_state->next_seq++;
  m_state->objects[o.id] = o;
  return o.id;
}

std::string Emulator::add_comment(const std::string& object_id, const Person& from, const std::string& message,
                                  const std::string& created_time) {
  std::lock_guard lock(m_state->mutex);
  Object& on = m_state->objects.at(object_id);
  Object o;
  o.kind = Kind::comment;
  o.on = object_id;
  o.post_id = on.kind == Kind::post ? on.id : on.post_id;
  o.id = o.post_id.substr(o.post_id.find('_') + 1) + "_" + std::to_string(m_state->next_number++);
  o.from = from;
  o.message = message;
  o.created_time = created_time;
  o.seq = m_state->next_seq++;
  on.children.push_back(o.id);
  m_state->objects[o.id] = o;
  return o.id;
}

std::string Emulator::add_conversation(const std::string& page_id, const Person& with) {
  std::lock_guard lock(m_state->mutex);
  Object o;
  o.kind = Kind::conversation;
  o.id = "t_" + std::to_string(m_state->next_number++);
  o.page_id = page_id;
  o.from = with;
  o.seq = m_state->next_seq++;
  m_state->objects[o.id] = o;
  return o.id;
}

void Emulator::add_message(const std::string& conversation_id, const Person& from, const std::string& message,
                           const std::string& created_time) {
  std::lock_guard lock(m_state->mutex);
  Object o;
  o.kind = Kind::message;
  o.id = "m_" + std::to_string(m_state->next_number++);
  o.on = conversation_id;
  o.from = from;
  o.message = message;
  o.created_time = created_time;
  o.seq = m_state->next_seq++;
  m_state->objects.at(conversation_id).children.push_back(o.id);
  m_state->objects[o.id] = o;
}

void Emulator::add_token(const std::string& token, TokenKind kind) {
  std::lock_guard lock(m_state->mutex);
  m_state->tokens[token] = kind;
}

void Emulator::set_app_secret(const std::string& secret) {
  std::lock_guard lock(m_state->mutex);
  m_state->app_secret = secret;
}

void Emulator::set_faults(const Faults& faults) {
  std::lock_guard lock(m_state->mutex);
  m_state->faults = faults;
}

Faults Emulator::faults() const {
  std::lock_guard lock(m_state->mutex);
  return m_state->faults;
}

void Emulator::forbid(const std::string& object_id) {
  std::lock_guard lock(m_state->mutex);
  m_state->forbidden.insert(object_id);
}

void Emulator::set_call_allowance(std::uint64_t calls) {
  std::lock_guard lock(m_state->mutex);
  m_state->allowance = calls;
}

Stats Emulator::stats() const {
  std::lock_guard lock(m_state->mutex);
  return m_state->stats;
}

void Emulator::reset_stats() {
  std::lock_guard lock(m_state->mutex);
  m_state->stats = {};
}

}  // namespace respbench::graph_emulator
