#include "server/store/store_location.hpp"

#include <stdexcept>

#include "server/store/sql_handle.hpp"
#include "server/store/store.hpp"

namespace blynk::store {

bool uses_postgresql(const config::Settings& settings) {
    return settings.storage == "postgresql";
}

std::string database_location(const config::Settings& settings,
                              const std::filesystem::path& data_dir) {
    if (!uses_postgresql(settings)) return Store::db_path(data_dir).string();
    const std::string& url = settings.storage_postgresql_url;
    if (url.empty()) {
        throw std::runtime_error(
            "storage=postgresql needs storage.postgresql.url, e.g. "
            "postgresql://blynkd:PASSWORD@db.example:5432/blynkd");
    }
    if (!is_postgres_location(url)) {
        throw std::runtime_error("storage.postgresql.url must start with postgresql:// (got " +
                                 redacted_location(url) + ")");
    }
    return url;
}

}  // namespace blynk::store
