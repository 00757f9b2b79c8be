// blynkd: parse the command line, load the configuration, then run the server or a
// subcommand (provisioning, backup and restore, import from the Java server). Start-up errors
// end here with a message and exit code 1.

#include <sys/stat.h>

#include <iostream>

#include <spdlog/spdlog.h>

#include "config/cli.hpp"
#include "config/paths.hpp"
#include "config/privileges.hpp"
#include "config/properties.hpp"
#include "server/admin_cli.hpp"
#include "server/app.hpp"
#include "server/backup_cli.hpp"
#include "server/java_import/import_command.hpp"
#include "server/logging/log_setup.hpp"
#include "server/store/store_location.hpp"

namespace {

/// Every way out of main writes the queued log lines first.
struct LoggingScope {
    ~LoggingScope() { blynk::logging::shutdown(); }
};

}  // namespace

int main(int argc, char** argv) {
    using blynk::config::Subcommand;
    LoggingScope logging;
    // Everything in the data folder (database, lock, keys, backups) is for this user alone.
    ::umask(077);
    try {
        auto loaded = blynk::config::load_config(argc, argv);
        if (loaded.show_help) {
            std::cout << blynk::config::usage_text();
            return 0;
        }
        if (loaded.show_version) {
            std::cout << blynk::config::version_text() << "\n";
            return 0;
        }
        blynk::logging::setup(loaded.settings.log_level,
                              loaded.subcommand == Subcommand::Run
                                  ? blynk::logging::Mode::Asynchronous
                                  : blynk::logging::Mode::Synchronous,
                              loaded.settings.async_logger_ring_buffer_size);
        const auto data_dir = blynk::config::resolve_data_folder(loaded.settings);
        for (const auto& w : blynk::config::enforce_privileges(
                 loaded.subcommand, loaded.allow_root, data_dir,
                 blynk::config::secret_files(loaded.settings, data_dir)))
            spdlog::warn("{}", w);
        blynk::CliStreams io{std::cout, std::cerr};
        const bool works_on_sqlite_file = loaded.subcommand == Subcommand::Backup ||
                                          loaded.subcommand == Subcommand::Restore ||
                                          loaded.subcommand == Subcommand::ImportJava;
        if (works_on_sqlite_file && blynk::store::uses_postgresql(loaded.settings)) {
            std::cerr << "blynkd: backup, restore and import-java work on the SQLite database, "
                         "and this configuration has storage=postgresql: back up PostgreSQL "
                         "with pg_dump and restore with pg_restore (docs/operations.md)\n";
            return 1;
        }
        switch (loaded.subcommand) {
            case Subcommand::User:
                return blynk::run_user_command(loaded.settings, data_dir, loaded.sub_args, io);
            case Subcommand::Device:
                return blynk::run_device_command(loaded.settings, data_dir, loaded.sub_args, io);
            case Subcommand::Backup:
                return blynk::run_backup_command(data_dir, loaded.sub_args, io);
            case Subcommand::Restore:
                return blynk::run_restore_command(data_dir, loaded.sub_args, io);
            case Subcommand::ImportJava:
                return blynk::java_import::run_import_command(data_dir, loaded.sub_args, io);
            case Subcommand::Run:
                break;
        }
        spdlog::info("blynkd {} starting{}", BLYNKD_VERSION,
                     loaded.config_file_used ? " with " + loaded.config_file_used->string()
                                             : std::string(" (no server.properties)"));
        for (const auto& w : loaded.warnings)
            spdlog::warn("{}", w);
        return blynk::App(loaded.settings, data_dir).run();
    } catch (const std::exception& e) {
        blynk::logging::shutdown();  // the lines before the error come first
        std::cerr << "blynkd: " << e.what() << "\n";
        return 1;
    }
}
