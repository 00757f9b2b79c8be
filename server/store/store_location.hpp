#pragma once
// Where the server and the CLI open the database, from the configuration.

#include <filesystem>
#include <string>

#include "config/settings.hpp"

namespace blynk::store {

/// storage.postgresql.url with storage=postgresql, else blynkd.db in the data folder. Throws
/// std::runtime_error when storage=postgresql has no URL, or one libpq would not take for one.
std::string database_location(const config::Settings& settings,
                              const std::filesystem::path& data_dir);

/// True with storage=postgresql.
bool uses_postgresql(const config::Settings& settings);

}  // namespace blynk::store
