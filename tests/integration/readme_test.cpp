// Runs the curl examples of README.md's "HTTP API" section against a live server, exactly as
// written (only the host and port are the test server's), and checks the "# → ..." answers.

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/support/fixture.hpp"

namespace blynk::test {
namespace {

struct Example {
    std::string command;   ///< the curl line, without its comment
    std::string expected;  ///< the "# → ..." answer, empty when none
};

std::vector<Example> readme_examples() {
    std::ifstream in(BLYNKD_SOURCE_DIR "/README.md");
    std::stringstream text;
    text << in.rdbuf();
    std::string readme = text.str();
    auto section = readme.find("## HTTP API");
    auto block = readme.find("```sh", section);
    auto end = readme.find("```", block + 5);
    std::istringstream lines(readme.substr(block + 5, end - block - 5));
    std::vector<Example> out;
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind("curl ", 0) != 0) continue;
        Example e;
        auto comment = line.find("  #");
        e.command = line.substr(0, comment);
        if (comment != std::string::npos) {
            auto arrow = line.find("→ ", comment);
            if (arrow != std::string::npos) {
                e.expected = line.substr(arrow + std::string("→ ").size());
                e.expected = e.expected.substr(0, e.expected.find(" ("));
            }
        }
        out.push_back(e);
    }
    return out;
}

std::pair<int, std::string> run_shell(const std::string& command) {
    std::string out;
    FILE* p = ::popen(command.c_str(), "r");
    if (!p) return {-1, out};
    std::array<char, 4096> buf;
    size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0)
        out.append(buf.data(), n);
    int status = ::pclose(p);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

using ReadmeTest = ServerTest;

TEST_F(ReadmeTest, CurlExamplesOfTheHttpApiSectionWorkAsWritten) {
    auto examples = readme_examples();
    ASSERT_GE(examples.size(), 8u) << "the README's HTTP API examples were not found";
    size_t checked = 0;
    for (auto e : examples) {
        std::string cmd = std::regex_replace(e.command, std::regex("http://localhost:8080"),
                                             "http://127.0.0.1:" + std::to_string(server_->port()));
        cmd = std::regex_replace(cmd, std::regex("https://localhost:9443"),
                                 "https://127.0.0.1:" + std::to_string(server_->tls_port()));
        // --fail: an HTTP error is a failed example.
        cmd = "TOKEN='" + token_a_ + "'; curl -sS --fail --max-time 5" + cmd.substr(4);
        auto [code, out] = run_shell(cmd);
        EXPECT_EQ(code, 0) << cmd << "\n" << out;
        if (!e.expected.empty()) {
            EXPECT_EQ(out, e.expected) << cmd;
            ++checked;
        }
    }
    EXPECT_GE(checked, 5u);
}

}  // namespace
}  // namespace blynk::test
