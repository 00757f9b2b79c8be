#pragma once
// The last slot a scheduled group (a Timer widget, an Eventor time rule) has handled, kept so that
// a restart neither repeats it nor forgets what was missed meanwhile.

#include <cstdint>
#include <string>

namespace blynk::model {

struct AutomationMark {
    int dash_id = 0;
    int64_t widget_id = 0;
    int rule = -1;              ///< -1: a Timer widget; else the index of the Eventor's rule
    std::string signature;      ///< the group's definition when it was handled
    int64_t occurrence_ms = 0;  ///< the slot's time (UTC ms), not when it ran
};

}  // namespace blynk::model
