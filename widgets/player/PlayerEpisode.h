// One entry of the player's episode list: a local video and, when there is one, the
// actions file plotted under it. Previous/next episode walk this list.
#pragma once

#include <QString>

namespace rdt {

struct PlayerEpisode {
    QString title;         // "000 demo_3: put the bowl on the plate"
    QString videoPath;     // local file
    QString actionsPath;   // local actions/<episode>.json; empty: no plot
};

} // namespace rdt
