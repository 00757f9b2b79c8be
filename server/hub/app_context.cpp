#include "server/hub/app_context.hpp"

#include <boost/asio/post.hpp>

namespace blynk::hub {

bool AppContext::run_password_work(std::function<bool()> work, std::function<void(bool)> then) {
    if (pending_hashes.fetch_add(1) >= kMaxPendingHashes) {
        pending_hashes.fetch_sub(1);
        return false;
    }
    boost::asio::post(cpu, [this, work = std::move(work), then = std::move(then)] {
        const bool result = work();
        pending_hashes.fetch_sub(1);
        then(result);
    });
    return true;
}

}  // namespace blynk::hub
