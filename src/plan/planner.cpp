#include "plan/planner.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "util/random.hpp"

namespace respbench {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr int k_minutes_per_day = 24 * 60;

struct Slot {
  Channel channel;
  const Probe* probe;
  date::local_days day;
  int minute = 0;
  Instant at;
};

// Hands out one-hour bands of the send window in permuted blocks: every band once per block,
// in random order, so each sector's inquiries cover the times of day evenly.
class BandDealer {
 public:
  BandDealer(Random rng, MinuteRange window) : m_rng(rng), m_window(window) {
    int length = window.end - window.begin;
    m_bands = std::max(1, length / 60);
  }
  // A random minute of the next band.
  int next_minute() {
    if (m_pos == m_block.size()) refill();
    int band = m_block[m_pos++];
    int length = m_window.end - m_window.begin;
    int begin = m_window.begin + band * length / m_bands;
    int end = m_window.begin + (band + 1) * length / m_bands;
    return begin + static_cast<int>(m_rng.below(static_cast<std::uint64_t>(end - begin)));
  }

 private:
  void refill() {
    m_block.clear();
    for (int b = 0; b < m_bands; ++b) m_block.push_back(b);
    m_rng.shuffle(m_block);
    m_pos = 0;
  }
  Random m_rng;
  MinuteRange m_window;
  int m_bands = 1;
  std::vector<int> m_block;
  std::size_t m_pos = 0;
};

std::string persona_text(const Persona& p) { return fmt::format("{} <{}>", p.name, p.email); }

// The first `count` business days from `first` on (fewer only if the calendar has almost none).
std::vector<date::local_days> business_days_from(const Calendar& calendar, date::local_days first, int count) {
  std::vector<date::local_days> days;
  const int k_max_scan = count * 7 + 400;  // a year of holidays cannot hide more than this
  for (int i = 0; static_cast<int>(days.size()) < count && i < k_max_scan; ++i) {
    auto day = first + date::days{i};
    if (calendar.is_business_day(day)) days.push_back(day);
  }
  return days;
}

// Everything the planner needs to know about the study, computed once.
class Planner {
 public:
  Planner(const Study& study, const std::vector<InquiryRecord>& existing, Instant now)
      : m_study(study), m_config(study.config), m_calendar(study.config.calendar()) {
    for (const auto& inquiry : existing) m_existing[inquiry.company_id].push_back(&inquiry);
    const auto start = m_calendar.to_instant(date::local_days{m_config.start}, 0);
    m_earliest = std::max(start, now);
    auto first = m_calendar.local_day(m_earliest);
    // A day whose send window has begun already is not a full day: start on the next one.
    if (m_earliest > m_calendar.to_instant(first, m_config.send_window.begin)) first += date::days{1};
    m_first_day = first;
  }

  Result<std::vector<NewInquiry>> plan() {
    std::map<std::string, std::vector<const Company*>> by_sector;
    for (const auto& company : m_study.companies) by_sector[company.sector].push_back(&company);
    std::vector<NewInquiry> out;
    for (auto& [sector, companies] : by_sector) {
      if (auto r = plan_sector(sector, companies, out); !r) return std::unexpected(r.error());
    }
    std::sort(out.begin(), out.end(), [](const NewInquiry& a, const NewInquiry& b) {
      return std::tie(a.planned_at, a.company_id, a.channel) < std::tie(b.planned_at, b.company_id, b.channel);
    });
    return out;
  }

 private:
  // The probes every company of `sector` gets on `channel`: those the sector already uses
  // first (so a re-plan stays comparable), then a seeded random choice of the rest.
  std::vector<const Probe*> probes_of_sector(const std::string& sector, Channel channel,
                                             const std::vector<const Company*>& companies) {
    auto candidates = m_study.probes_for(sector, channel);
    std::map<std::string, int> used;
    for (const Company* c : companies) {
      for (const InquiryRecord* i : existing_of(c->id)) {
        if (i->channel == channel) ++used[i->probe_id];
      }
    }
    Random rng = Random::derive(m_config.seed, "probes", fmt::format("{}/{}", sector, to_string(channel)));
    rng.shuffle(candidates);
    std::stable_sort(candidates.begin(), candidates.end(),
                     [&](const Probe* a, const Probe* b) { return used[a->id] > used[b->id]; });
    candidates.resize(std::min<std::size_t>(candidates.size(), static_cast<std::size_t>(m_config.probes_per_channel)));
    return candidates;
  }

  const std::vector<const InquiryRecord*>& existing_of(const std::string& company_id) const {
    static const std::vector<const InquiryRecord*> k_none;
    auto it = m_existing.find(company_id);
    return it == m_existing.end() ? k_none : it->second;
  }

  // The (channel, probe) pairs `company` still lacks, channels interleaved so that both are
  // spread over the whole schedule.
  std::vector<Slot> missing_slots(const Company& company,
                                  const std::map<Channel, std::vector<const Probe*>>& sector_probes, Random& rng) {
    std::vector<std::vector<Slot>> per_channel;
    for (Channel channel : m_study.channels_of(company)) {
      std::set<std::string> have;
      for (const InquiryRecord* i : existing_of(company.id)) {
        if (i->channel == channel) have.insert(i->probe_id);
      }
      int need = m_config.probes_per_channel - static_cast<int>(have.size());
      std::vector<Slot> slots;
      auto take = [&](const Probe* p) {
        if (need > 0 && !have.contains(p->id)) {
          slots.push_back(Slot{channel, p, {}, 0, {}});
          have.insert(p->id);
          --need;
        }
      };
      for (const Probe* p : sector_probes.at(channel)) take(p);
      for (const Probe* p : m_study.probes_for(company.sector, channel)) take(p);
      rng.shuffle(slots);
      if (!slots.empty()) per_channel.push_back(std::move(slots));
    }
    rng.shuffle(per_channel);
    std::vector<Slot> merged;
    for (std::size_t i = 0;; ++i) {
      bool any = false;
      for (auto& slots : per_channel) {
        if (i < slots.size()) {
          merged.push_back(slots[i]);
          any = true;
        }
      }
      if (!any) break;
    }
    return merged;
  }

  Result<void> plan_sector(const std::string& sector, const std::vector<const Company*>& companies,
                           std::vector<NewInquiry>& out) {
    std::map<Channel, std::vector<const Probe*>> sector_probes;
    for (Channel c : k_all_channels) sector_probes[c] = probes_of_sector(sector, c, companies);

    Random order_rng = Random::derive(m_config.seed, "sector-order", sector);
    std::vector<const Company*> shuffled = companies;
    order_rng.shuffle(shuffled);

    struct Pending {
      const Company* company;
      std::vector<Slot> slots;
    };
    std::vector<Pending> pending;
    for (const Company* c : shuffled) {
      Random rng = Random::derive(m_config.seed, "company", c->id);
      auto slots = missing_slots(*c, sector_probes, rng);
      if (!slots.empty()) pending.push_back({c, std::move(slots)});
    }
    const double phase_offset = order_rng.unit();
    BandDealer bands(Random::derive(m_config.seed, "bands", sector), m_config.send_window);
    for (std::size_t j = 0; j < pending.size(); ++j) {
      // Companies start at evenly spread phases of the schedule, so their days rotate over the
      // weekdays.
      double phase = std::fmod((static_cast<double>(j) + phase_offset) / static_cast<double>(pending.size()), 1.0);
      if (auto r = plan_company(*pending[j].company, pending[j].slots, phase, bands); !r) return r;
      for (const Slot& s : pending[j].slots) out.push_back(to_new_inquiry(*pending[j].company, s));
    }
    return {};
  }

  Result<void> plan_company(const Company& company, std::vector<Slot>& slots, double phase, BandDealer& bands) {
    std::vector<Instant> placed;
    std::set<date::local_days> busy_days;
    for (const InquiryRecord* i : existing_of(company.id)) {
      placed.push_back(i->planned_at);
      busy_days.insert(m_calendar.local_day(i->planned_at));
    }
    std::vector<date::local_days> days;
    for (auto day : business_days_from(m_calendar, m_first_day, m_config.business_days)) {
      if (!busy_days.contains(day)) days.push_back(day);
    }
    const std::size_t m = slots.size();
    if (days.size() < m) {
      return fail(fmt::format(
          "company \"{}\" needs {} more inquiries but only {} free business days remain in "
          "schedule.business_days = {} from {}; raise schedule.business_days (one inquiry per company and day)",
          company.id, m, days.size(), m_config.business_days, date::format("%F", m_first_day)));
    }
    choose_days(slots, days, phase);
    choose_minutes(slots, bands);
    return place(company, slots, days, placed, busy_days);
  }

  // Day i at position floor((i + phase) · D / m) of the D free days, then pushed later where
  // min_spacing needs more than a day between two inquiries.
  void choose_days(std::vector<Slot>& slots, const std::vector<date::local_days>& days, double phase) {
    const auto spacing_days = static_cast<int>((m_config.min_spacing + date::days{1} - seconds{1}) / date::days{1});
    const int gap = std::max(1, spacing_days);
    const std::size_t m = slots.size();
    const double stride = static_cast<double>(days.size()) / static_cast<double>(m);
    auto assign = [&](bool use_phase) {
      std::size_t index = 0;
      for (std::size_t i = 0; i < m; ++i) {
        std::size_t want = use_phase ? static_cast<std::size_t>((static_cast<double>(i) + phase) * stride) : 0;
        index = std::max(index, want);
        if (i > 0) {
          while (index < days.size() && (days[index] - slots[i - 1].day).count() < gap) ++index;
        }
        if (index >= days.size()) return false;
        slots[i].day = days[index];
        ++index;
      }
      return true;
    };
    if (!assign(true)) assign(false);  // packing from the first day is the fallback; place() reports overflow
  }

  // Minutes from the sector's band dealer; within runs of days close enough for min_spacing to
  // bind, the earlier day gets the earlier time, so the spacing holds without moving anything.
  void choose_minutes(std::vector<Slot>& slots, BandDealer& bands) {
    const int window = m_config.send_window.end - m_config.send_window.begin;
    const auto spacing_minutes = std::chrono::duration_cast<minutes>(m_config.min_spacing).count();
    for (auto& s : slots) s.minute = bands.next_minute();
    std::size_t run_begin = 0;
    for (std::size_t i = 1; i <= slots.size(); ++i) {
      bool tight = i < slots.size() &&
                   (slots[i].day - slots[i - 1].day).count() * k_minutes_per_day - window < spacing_minutes;
      if (tight) continue;
      std::vector<int> run;
      for (std::size_t k = run_begin; k < i; ++k) run.push_back(slots[k].minute);
      std::sort(run.begin(), run.end());
      for (std::size_t k = run_begin; k < i; ++k) slots[k].minute = run[k - run_begin];
      run_begin = i;
    }
  }

  // Turns days and minutes into instants and moves any that break a rule (a DST shift, an
  // existing inquiry of the company) to the earliest instant that keeps them all.
  Result<void> place(const Company& company, std::vector<Slot>& slots, const std::vector<date::local_days>& days,
                     std::vector<Instant>& placed, std::set<date::local_days>& busy_days) {
    const std::set<date::local_days> allowed(days.begin(), days.end());
    const auto window = m_config.send_window;
    for (auto& slot : slots) {
      Instant t = std::max(m_calendar.to_instant(slot.day, slot.minute), m_earliest);
      for (int guard = 0;; ++guard) {
        auto day = m_calendar.local_day(t);
        if (day > days.back() || guard > 10000) {
          return fail(fmt::format(
              "company \"{}\": its {} inquiries do not fit into schedule.business_days = {} with "
              "schedule.min_spacing = {}; raise business_days or lower min_spacing",
              company.id, slots.size(), m_config.business_days, format_duration(m_config.min_spacing)));
        }
        int minute = m_calendar.local_minute_of_day(t);
        if (!allowed.contains(day) || busy_days.contains(day) || minute >= window.end) {
          t = m_calendar.to_instant(day + date::days{1}, window.begin);
          continue;
        }
        if (minute < window.begin) {
          t = m_calendar.to_instant(day, window.begin);
          continue;
        }
        auto clash = std::find_if(placed.begin(), placed.end(), [&](Instant p) {
          return (t > p ? t - p : p - t) < m_config.min_spacing;
        });
        if (clash != placed.end()) {
          t = *clash + m_config.min_spacing;
          continue;
        }
        break;
      }
      slot.at = t;
      slot.day = m_calendar.local_day(t);
      placed.push_back(t);
      busy_days.insert(slot.day);
    }
    return {};
  }

  NewInquiry to_new_inquiry(const Company& company, const Slot& slot) {
    const auto& personas = m_config.personas;
    auto company_index = static_cast<std::size_t>(&company - m_study.companies.data());
    std::size_t persona = (company_index + m_persona_turn[company.id]++ + existing_of(company.id).size()) % personas.size();
    return NewInquiry{company.id, slot.channel, slot.probe->id, persona_text(personas[persona]), slot.at};
  }

  const Study& m_study;
  const StudyConfig& m_config;
  Calendar m_calendar;
  std::map<std::string, std::vector<const InquiryRecord*>> m_existing;
  std::map<std::string, std::size_t> m_persona_turn;
  Instant m_earliest;
  date::local_days m_first_day;
};

}  // namespace

Result<std::vector<NewInquiry>> plan_inquiries(const Study& study, const std::vector<InquiryRecord>& existing,
                                               Instant now) {
  return Planner(study, existing, now).plan();
}

}  // namespace respbench
