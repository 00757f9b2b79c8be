// The automation's reading of widgets (server/automation): a TIMER, EVENTOR or TIME_INPUT widget's
// JSON as anyone who can edit a dashboard sends it, and the value of a Time Input's pin as any
// board, app or REST call writes it. The input is the widget's JSON, then a NUL, then the pin's
// value. Reading must never throw; what it reads must be runnable: times of the day, days of the
// week, a pin for every pin action, and a next occurrence after the time asked.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/automation/definitions.hpp"
#include "server/automation/schedule.hpp"
#include "server/model/widget.hpp"
#include "tests/fuzz/support/check.hpp"

namespace {

using namespace blynk;
using fuzz::check;

void check_automation(const automation::DashboardAutomation& found) {
    for (const automation::TimeGroup& group : found.groups) {
        check(!group.slots.empty(), "a group has slots");
        for (const automation::TimeSlot& slot : group.slots) {
            check(slot.when.seconds_of_day >= 0 && slot.when.seconds_of_day < 86400,
                  "a slot is a time of the day");
            check((slot.when.days & ~automation::kEveryDay) == 0, "days are days of the week");
            check(!slot.actions.empty(), "a slot acts");
            // In UTC (a zone read from the input is looked up on disk, which fuzzing must not
            // depend on): the next occurrence is after the time asked, or there is none.
            const int64_t after = 1'796'000'000'000;
            const auto next =
                automation::next_occurrence(slot.when, automation::system_zone(""), after);
            check(!next || *next > after, "the next occurrence is later");
            check(next.has_value() == (slot.when.days != 0), "a slot with days comes again");
        }
    }
    for (const automation::PinRule& rule : found.rules)
        check(!rule.actions.empty(), "a rule acts");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const size_t split = input.find('\0');
    const std::string_view json = input.substr(0, split);
    const std::string value(split == std::string_view::npos ? std::string_view()
                                                            : input.substr(split + 1));
    std::string error;
    auto widget = model::parse_widget(json, error);
    if (!widget) return 0;
    model::Dashboard dash;
    dash.id = 1;
    dash.widgets.push_back(*widget);
    check_automation(automation::read_automation(
        dash, [&](int, model::PinKey) { return std::optional<std::string>(value); }));
    return 0;
}
