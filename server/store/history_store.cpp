#include "server/store/history_store.hpp"

#include <algorithm>
#include <numeric>
#include <tuple>

#include "server/store/history_statements.hpp"
#include "server/store/postgres_arrays.hpp"

namespace blynk::store {

namespace {

constexpr std::chrono::hours kCapWarnEvery{1};

int64_t ceil_to(int64_t t, int64_t bucket) {
    const int64_t floor = t - t % bucket;
    return floor == t ? t : floor + bucket;
}

model::HistoryPoint read_point(const Statement& st) {
    return {st.column_int64(0), st.column_double(1), st.column_double(2), st.column_double(3),
            st.column_int64(4)};
}

}  // namespace

HistoryStore::HistoryStore(Database& db) : db_(db), st_(std::make_unique<Statements>(db)) {
    StatementScope st(st_->read_progress);
    while (st->step()) {
        const int64_t level = st->column_int64(0);
        if (level >= 1 && level < static_cast<int64_t>(kLevels))
            progress_[static_cast<size_t>(level)] = st->column_int64(1);
    }
}

HistoryStore::~HistoryStore() = default;

std::optional<int64_t> HistoryStore::series_id(std::string_view email, int dash_id, int device_id,
                                               model::PinKey pin, bool create) {
    const std::string pin_text = pin.str();
    auto find = [&]() -> std::optional<int64_t> {
        StatementScope st(st_->find_series);
        st->bind_text(1, email);
        st->bind_int(2, dash_id);
        st->bind_int(3, device_id);
        st->bind_text(4, pin_text);
        if (st->step()) return st->column_int64(0);
        return std::nullopt;
    };
    if (auto id = find(); id || !create) return id;
    {
        StatementScope st(st_->insert_series);
        st->bind_text(1, email);
        st->bind_int(2, dash_id);
        st->bind_int(3, device_id);
        st->bind_text(4, pin_text);
        if (!st->run_unless_orphan()) return std::nullopt;
    }
    // Read back rather than the engine's last rowid (SQLite's; PostgreSQL has none): a series
    // is made once per pin, so the second lookup is rare.
    return find();
}

void HistoryStore::add_points(int64_t series, int64_t delta) {
    if (delta == 0) return;
    StatementScope st(st_->add_points);
    st->bind_int(1, series);
    st->bind_int(2, delta);
    st->run();
}

uint64_t HistoryStore::user_points(const std::string& email) {
    StatementScope st(st_->user_points);
    st->bind_text(1, email);
    return st->step() ? static_cast<uint64_t>(st->column_int64(0)) : 0;
}

void HistoryStore::write_raw(int64_t series, std::vector<RawPoint>& points) {
    if (points.empty()) return;
    // A taken (time, seq) means points of that millisecond were written before (by an earlier
    // batch or run): the point takes the next free seq.
    auto insert_one = [&](RawPoint& r) {
        for (;; ++r.seq) {
            StatementScope st(st_->insert_raw);
            st->bind_int(1, series);
            st->bind_int(2, r.time_ms);
            st->bind_int(3, r.seq);
            st->bind_double(4, r.value);
            st->run();
            if (db_.changes() > 0) return;
        }
    };
    if (db_.dialect() == Dialect::Sqlite) {
        for (RawPoint& r : points)
            insert_one(r);
        return;
    }
    // PostgreSQL: one statement for the series (a round trip per point capped appends at about
    // 13,000 points/s); the few points whose key was taken go one by one afterwards, so among
    // points of one millisecond a taken key may put a later point first.
    PgArrayLiteral times, seqs, values;
    for (const RawPoint& r : points) {
        times.add_int(r.time_ms);
        seqs.add_int(r.seq);
        values.add_double(r.value);
    }
    std::set<std::pair<int64_t, int64_t>> written;
    {
        StatementScope st(*st_->insert_raw_arrays);
        st->bind_int(1, series);
        st->bind_text(2, times.str());
        st->bind_text(3, seqs.str());
        st->bind_text(4, values.str());
        while (st->step())
            written.emplace(st->column_int64(0), st->column_int64(1));
    }
    if (written.size() == points.size()) return;
    for (RawPoint& r : points) {
        if (!written.contains({r.time_ms, r.seq})) insert_one(r);
    }
}

HistoryAppended HistoryStore::append(std::span<const HistoryWrite> points) {
    HistoryAppended result;
    if (points.empty()) return result;
    // In key order, each series' points in write order: every b-tree page is visited once.
    std::vector<uint32_t> order(points.size());
    std::iota(order.begin(), order.end(), 0u);
    auto key = [&](uint32_t i) {
        const HistoryWrite& p = points[i];
        return std::tie(p.email, p.dash_id, p.device_id, p.pin, p.time_ms);
    };
    std::stable_sort(order.begin(), order.end(),
                     [&](uint32_t a, uint32_t b) { return key(a) < key(b); });

    const SynchronousNormal relaxed(db_);
    Transaction tx(db_);
    std::unordered_map<std::string_view, uint64_t> room;  // points each user may still add
    std::vector<std::string_view> capped;
    for (size_t begin = 0; begin < order.size();) {
        const HistoryWrite& first = points[order[begin]];
        size_t end = begin + 1;
        while (end < order.size()) {
            const HistoryWrite& p = points[order[end]];
            if (p.email != first.email || p.dash_id != first.dash_id ||
                p.device_id != first.device_id || p.pin != first.pin) {
                break;
            }
            ++end;
        }
        const auto series = series_id(first.email, first.dash_id, first.device_id, first.pin, true);
        if (!series) {
            result.no_device += end - begin;
            begin = end;
            continue;
        }
        auto [left, fresh] = room.try_emplace(first.email, 0);
        if (fresh) {
            const uint64_t stored = user_points(std::string(first.email));
            left->second =
                stored < settings_.user_max_points ? settings_.user_max_points - stored : 0;
        }
        auto& [last_time, last_seq] = last_seq_[*series];
        // The points that fit under the cap, each with the seq it would take.
        std::vector<RawPoint> planned;
        for (size_t i = begin; i < end; ++i) {
            const HistoryWrite& p = points[order[i]];
            if (left->second == 0) {
                if (std::find(capped.begin(), capped.end(), p.email) == capped.end())
                    capped.push_back(p.email);
                result.over_cap += end - i;
                break;
            }
            const int64_t seq = p.time_ms == last_time ? last_seq + 1 : 0;
            planned.push_back({p.time_ms, seq, p.value});
            last_time = p.time_ms;
            last_seq = seq;
            --left->second;
            if (p.time_ms < progress_[1])
                late_.emplace(
                    *series,
                    p.time_ms - p.time_ms % model::bucket_ms(model::HistoryResolution::Minute));
        }
        write_raw(*series, planned);
        for (const RawPoint& r : planned) {  // a taken (time, seq) moved a point to a later seq
            if (r.time_ms == last_time) last_seq = std::max(last_seq, r.seq);
        }
        const auto added = static_cast<int64_t>(planned.size());
        add_points(*series, added);
        result.stored += static_cast<uint64_t>(added);
        begin = end;
    }
    tx.commit();
    for (std::string_view email : capped)
        warn_cap(std::string(email), settings_.user_max_points);
    return result;
}

void HistoryStore::warn_cap(const std::string& email, uint64_t stored) {
    const auto now = std::chrono::steady_clock::now();
    auto [it, first] = cap_warned_.try_emplace(email, now);
    if (!first && now - it->second < kCapWarnEvery) return;
    it->second = now;
    store_log()->warn(
        "history of {} holds {} points, its limit (history.user.max.points): new points of this "
        "user are refused until retention frees room or history is deleted",
        email, stored);
}

void HistoryStore::read_level(Level level, int64_t series, int64_t from, int64_t to, size_t limit,
                              bool newest_first, std::vector<model::HistoryPoint>& out) {
    StatementScope st(newest_first ? *st_->read_down[level] : *st_->read_up[level]);
    st->bind_int(1, series);
    st->bind_int(2, from);
    st->bind_int(3, to);
    // No LIMIT -1 for "all": SQLite's idiom, which PostgreSQL refuses.
    st->bind_int(4, limit == 0 ? INT64_MAX : static_cast<int64_t>(limit));
    while (st->step())
        out.push_back(read_point(*st));
}

void HistoryStore::aggregate_from(Level source, Level level, int64_t series, int64_t from,
                                  int64_t to, std::vector<model::HistoryPoint>& out) {
    StatementScope st(*st_->grouped[source]);
    st->bind_int(1, series);
    st->bind_int(2, from);
    st->bind_int(3, to);
    st->bind_int(4, model::bucket_ms(static_cast<model::HistoryResolution>(level)));
    while (st->step()) {
        model::HistoryPoint p = read_point(*st);
        // A bucket split between two levels' segments is one bucket.
        if (!out.empty() && out.back().time_ms == p.time_ms) {
            model::HistoryPoint& last = out.back();
            const int64_t count = last.count + p.count;
            last.value = (last.value * static_cast<double>(last.count) +
                          p.value * static_cast<double>(p.count)) /
                         static_cast<double>(count);
            last.min = std::min(last.min, p.min);
            last.max = std::max(last.max, p.max);
            last.count = count;
        } else {
            out.push_back(p);
        }
    }
}

std::vector<model::HistoryPoint> HistoryStore::query(const std::string& email, int dash_id,
                                                     int device_id, model::PinKey pin,
                                                     const model::HistoryQuery& q) {
    std::vector<model::HistoryPoint> out;
    const auto series = series_id(email, dash_id, device_id, pin, false);
    const int64_t from = std::max<int64_t>(q.from_ms, 0);
    if (!series || q.to_ms <= from) return out;
    const auto level = static_cast<Level>(q.resolution);
    if (level == 0) {
        read_level(0, *series, from, q.to_ms, q.limit, q.newest_first, out);
        if (q.newest_first) std::reverse(out.begin(), out.end());
        return out;
    }
    // Buckets starting in [from, to) hold the finer rows in [lo, hi).
    const int64_t bucket = model::bucket_ms(q.resolution);
    const int64_t lo = ceil_to(from, bucket), hi = ceil_to(q.to_ms, bucket);
    // The storage thread is this connection's only user: no write interleaves these reads.
    int64_t start = lo;
    for (Level k = level + 1; k-- > 0;) {
        const int64_t end = k == 0 ? hi : std::clamp(progress_[k], start, hi);
        if (end > start) {
            if (k == level) {
                read_level(level, *series, start, end, 0, false, out);
            } else {
                aggregate_from(k, level, *series, start, end, out);
            }
        }
        start = std::max(start, end);
    }
    if (q.limit != 0 && out.size() > q.limit) {
        if (q.newest_first) {
            out.erase(out.begin(), out.end() - static_cast<std::ptrdiff_t>(q.limit));
        } else {
            out.resize(q.limit);
        }
    }
    return out;
}

size_t HistoryStore::delete_series(const std::string& email, int dash_id, int device_id,
                                   std::optional<model::PinKey> pin) {
    std::vector<int64_t> ids;
    if (pin) {
        if (auto id = series_id(email, dash_id, device_id, *pin, false)) ids.push_back(*id);
    } else {
        StatementScope st(st_->device_series);
        st->bind_text(1, email);
        st->bind_int(2, dash_id);
        st->bind_int(3, device_id);
        while (st->step())
            ids.push_back(st->column_int64(0));
    }
    if (ids.empty()) return 0;
    Transaction tx(db_);
    for (int64_t id : ids) {
        StatementScope st(st_->delete_series);
        st->bind_int(1, id);
        st->run();
        last_seq_.erase(id);
    }
    tx.commit();
    return ids.size();
}

void HistoryStore::set_progress(Level level, int64_t done_ms) {
    StatementScope st(st_->write_progress);
    st->bind_int(1, static_cast<int64_t>(level));
    st->bind_int(2, done_ms);
    st->run();
}

std::vector<int64_t> HistoryStore::live_series() {
    std::vector<int64_t> ids;
    StatementScope st(st_->live_series);
    while (st->step())
        ids.push_back(st->column_int64(0));
    return ids;
}

}  // namespace blynk::store
