// The Facebook channel's source over the Graph API: the comments under many objects, read in
// batches of at most 50 sub-requests, each object's pages followed until no `next`, transient
// failures repeated, and all calls stopped once the API says to back off or the token fails.

#include <deque>
#include <thread>
#include <functional>

#include <fmt/format.h>
#include <rapidjson/document.h>

#include "net/graph_client.hpp"
#include "net/mail_transport.hpp"
#include "util/time.hpp"

namespace respbench {
namespace {

// filter(stream): replies to comments come flattened into one list, in time order.
constexpr std::string_view k_comment_fields = "id,from{id,name},message,created_time,parent{id},permalink_url";
// A guard against a server that keeps handing out `next`: 1 000 pages of 100 comments.
constexpr int k_max_pages = 1000;

std::string first_page_url(const std::string& object_id) {
  return fmt::format("{}?fields={}", object_id,
                     url_encode(fmt::format("comments.filter(stream).order(chronological).limit(100){{{}}}",
                                            k_comment_fields)));
}

std::string string_of(const rapidjson::Value& v, const char* name) {
  if (!v.IsObject()) return {};
  auto it = v.FindMember(name);
  return it != v.MemberEnd() && it->value.IsString() ? std::string(it->value.GetString(), it->value.GetStringLength())
                                                      : std::string();
}

std::optional<FacebookComment> comment_of(const rapidjson::Value& v) {
  if (!v.IsObject()) return std::nullopt;
  FacebookComment c;
  c.id = string_of(v, "id");
  if (v.HasMember("from") && v["from"].IsObject()) {
    c.from_id = string_of(v["from"], "id");
    c.from_name = string_of(v["from"], "name");
    if (c.from_id->empty()) c.from_id.reset();
  }
  c.message = string_of(v, "message");
  auto created = parse_instant(string_of(v, "created_time"), nullptr);
  if (!created) return std::nullopt;  // without its time a reply cannot be placed
  c.created_time = *created;
  if (v.HasMember("parent")) c.parent_id = string_of(v["parent"], "id");
  c.permalink = string_of(v, "permalink_url");
  return c;
}

struct Task {
  std::size_t index = 0;
  std::string url;
  int pages = 0;
  int repeats = 0;  // of transient failures and timed-out sub-requests
};

class GraphSource final : public FacebookSource {
 public:
  explicit GraphSource(GraphClient client) : m_client(std::move(client)) {}

  std::vector<ObjectComments> comments_under(const std::vector<std::string>& object_ids) override {
    std::vector<ObjectComments> out(object_ids.size());
    std::vector<std::string> urls;
    for (std::size_t i = 0; i < object_ids.size(); ++i) {
      out[i].object_id = object_ids[i];
      urls.push_back(first_page_url(object_ids[i]));
    }
    run(urls, [&](std::size_t i, const std::string& body) -> std::expected<std::string, FacebookError> {
      rapidjson::Document d;
      d.Parse(body.data(), body.size());
      if (d.HasParseError() || !d.IsObject()) {
        return std::unexpected(FacebookError{FacebookFailure::retry_later, "Graph API: an answer is not JSON", {}});
      }
      // The first answer is the object with its expanded `comments` edge (absent when there are
      // none); the next pages are the edge itself.
      const rapidjson::Value* page = &d;
      if (d.HasMember("comments")) page = &d["comments"];
      else if (!d.HasMember("data")) return std::string();
      if (page->HasMember("data") && (*page)["data"].IsArray()) {
        for (auto& item : (*page)["data"].GetArray()) {
          if (auto c = comment_of(item)) out[i].comments.push_back(std::move(*c));
        }
      }
      if (page->HasMember("paging")) return string_of((*page)["paging"], "next");
      return std::string();
    }, [&](std::size_t i, const FacebookError& e) { out[i].error = e; });
    return out;
  }

  std::vector<PageLookup> page_ids(const std::vector<std::string>& names) override {
    std::vector<PageLookup> out(names.size());
    std::vector<std::string> urls;
    for (std::size_t i = 0; i < names.size(); ++i) {
      out[i].name = names[i];
      urls.push_back(fmt::format("{}?fields=id,name", url_encode(names[i])));
    }
    run(urls, [&](std::size_t i, const std::string& body) -> std::expected<std::string, FacebookError> {
      rapidjson::Document d;
      d.Parse(body.data(), body.size());
      out[i].id = d.HasParseError() ? std::string() : string_of(d, "id");
      if (out[i].id.empty()) {
        return std::unexpected(FacebookError{FacebookFailure::bad_reference,
                                             fmt::format("Graph API: no id for the page {}", names[i]), {}});
      }
      return std::string();
    }, [&](std::size_t i, const FacebookError& e) { out[i].error = e; });
    return out;
  }

  std::uint64_t requests_made() const override { return m_client.requests_made(); }

 private:
  using OnBody = std::function<std::expected<std::string, FacebookError>(std::size_t, const std::string&)>;
  using OnError = std::function<void(std::size_t, const FacebookError&)>;

  FacebookError clean(FacebookError e) const {
    for (const auto& secret : {m_client.settings().token, m_client.settings().app_secret}) {
      if (!secret.empty()) e.message = redact(std::move(e.message), secret);
    }
    return e;
  }

  // Sends `urls` in batches; each 200 answer goes to `on_body`, which returns the URL of the
  // next page ("" when done). Failures go to `on_error`, once per index.
  void run(const std::vector<std::string>& urls, const OnBody& on_body, const OnError& on_error) {
    std::deque<Task> queue;
    for (std::size_t i = 0; i < urls.size(); ++i) queue.push_back({i, urls[i], 0, 0});
    const auto& settings = m_client.settings();
    std::optional<FacebookError> halt;
    while (!queue.empty() && !halt) {
      if (m_client.usage().limited()) {
        const auto& usage = m_client.usage();
        halt = FacebookError{FacebookFailure::back_off,
                             fmt::format("Graph API usage at {} %{}: no more calls for now", usage.highest(),
                                         usage.regain ? fmt::format(", access again in {} min", usage.regain->count())
                                                      : ""),
                             usage.regain ? std::optional<std::chrono::seconds>(*usage.regain) : std::nullopt};
        break;
      }
      std::vector<Task> tasks;
      while (!queue.empty() && tasks.size() < settings.batch_size) {
        tasks.push_back(std::move(queue.front()));
        queue.pop_front();
      }
      std::vector<std::string> batch_urls;
      for (const auto& t : tasks) batch_urls.push_back(t.url);
      auto answers = m_client.batch(batch_urls);
      if (!answers) {
        // The whole call failed (time-out, server error, token, rate limit): stop this run; the
        // objects are read again next time.
        halt = clean(answers.error().error);
        for (auto& t : tasks) queue.push_front(std::move(t));
        break;
      }
      bool repeating = false;
      for (std::size_t k = 0; k < tasks.size(); ++k) {
        Task& task = tasks[k];
        const auto& answer = (*answers)[k];
        const auto repeat = [&](std::string why) {
          if (task.repeats++ < settings.retries) {
            queue.push_back(std::move(task));
            repeating = true;
          } else {
            on_error(task.index, clean({FacebookFailure::retry_later, std::move(why), {}}));
          }
        };
        if (!answer) {
          repeat("Graph API: the request timed out inside a batch");
          continue;
        }
        if (answer->code == 200) {
          auto next = on_body(task.index, answer->body);
          if (!next) {
            on_error(task.index, clean(next.error()));
          } else if (!next->empty()) {
            if (++task.pages >= k_max_pages) {
              on_error(task.index, {FacebookFailure::retry_later, "Graph API: too many pages of comments", {}});
            } else {
              task.url = m_client.relative_to_base(*next);
              task.repeats = 0;
              queue.push_back(std::move(task));
            }
          }
          continue;
        }
        auto info = classify_graph_error(answer->code, answer->body, m_client.usage(), settings.token_env);
        if (info.soon) {
          repeat(info.error.message);
        } else if (stops_channel(info.error.next)) {
          if (!halt) halt = clean(info.error);
          queue.push_back(std::move(task));
        } else {
          on_error(task.index, clean(info.error));
        }
      }
      if (repeating && !halt) {
        if (settings.retry_pause.count() > 0) std::this_thread::sleep_for(settings.retry_pause);
      }
    }
    if (halt) {
      for (const auto& t : queue) on_error(t.index, *halt);
    }
  }

  GraphClient m_client;
};

}  // namespace

Result<std::unique_ptr<FacebookSource>> make_graph_source(GraphSettings settings) {
  auto client = GraphClient::create(std::move(settings));
  if (!client) return std::unexpected(client.error());
  return std::unique_ptr<FacebookSource>(std::make_unique<GraphSource>(std::move(*client)));
}

}  // namespace respbench
