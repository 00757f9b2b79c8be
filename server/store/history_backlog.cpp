#include "server/store/history_backlog.hpp"

#include <algorithm>
#include <iterator>

namespace blynk::store {

void HistoryBacklog::set_max_points(size_t max_points) {
    std::lock_guard lock(mutex_);
    max_points_ = std::max<size_t>(max_points, 1);
}

size_t HistoryBacklog::put(const std::string& email, std::vector<HistoryUpdate> points) {
    std::lock_guard lock(mutex_);
    const size_t used = pending_.size() + in_flight_;
    const size_t room = used < max_points_ ? max_points_ - used : 0;
    const size_t kept = std::min(room, points.size());
    if (kept > 0) {
        const std::string_view interned = *emails_.insert(email).first;
        pending_.reserve(pending_.size() + kept);
        for (size_t i = 0; i < kept; ++i) {
            const HistoryUpdate& p = points[i];
            pending_.push_back({interned, p.dash_id, p.device_id, p.pin, p.value, p.time_ms});
        }
    }
    return points.size() - kept;
}

HistoryBacklog::Batch HistoryBacklog::take() {
    std::lock_guard lock(mutex_);
    Batch batch;
    batch.swap(pending_);
    in_flight_ = batch.size();
    return batch;
}

size_t HistoryBacklog::finished(Batch batch, bool failed) {
    std::lock_guard lock(mutex_);
    in_flight_ = 0;
    if (!failed) return 0;
    // The failed points are older than those put meanwhile: they go first; the bound held
    // counting them in flight, so nothing is dropped unless the bound was lowered meanwhile.
    batch.insert(batch.end(), std::make_move_iterator(pending_.begin()),
                 std::make_move_iterator(pending_.end()));
    pending_.swap(batch);
    if (pending_.size() <= max_points_) return 0;
    const size_t dropped = pending_.size() - max_points_;
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(dropped));
    return dropped;
}

size_t HistoryBacklog::pending() const {
    std::lock_guard lock(mutex_);
    return pending_.size();
}

bool HistoryBacklog::urgent() const {
    std::lock_guard lock(mutex_);
    return pending_.size() >= max_points_ / 2;
}

size_t HistoryBacklog::max_points() const {
    std::lock_guard lock(mutex_);
    return max_points_;
}

}  // namespace blynk::store
