// The application's icon (resources/icons/rdt-workbench.svg), as the PNGs drawn from it at
// build time, one per size a desktop asks for, embedded as :/rdt/icons/rdt-workbench-N.png.
#pragma once

#include <QIcon>
#include <QList>

namespace rdt {

class WorkbenchIcon {
public:
    static QIcon icon();
    static QList<int> sizes();   // 16 ... 256, as resources/CMakeLists.txt draws them
};

} // namespace rdt
