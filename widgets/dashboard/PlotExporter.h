// Saves a QCustomPlot as PNG, SVG or PDF, at the size it is shown or at a size given:
// PNG and PDF through QCustomPlot's own savePng/savePdf, SVG by painting the plot into Qt
// SVG's QSvgGenerator. Each file is written under a temporary name beside the target and
// renamed when whole, so a failed export never leaves a broken file under the name chosen.
#pragma once

#include "Result.h"

#include <QSize>
#include <QString>

class QCustomPlot;

namespace rdt {

class PlotExporter {
public:
    enum class Format { Png, Svg, Pdf };

    // The format a file name's suffix asks for (case-insensitive); nullopt for any other.
    static std::optional<Format> formatOf(const QString &path);
    static QString suffixOf(Format format);

    // `size` empty: the size the plot has on screen now.
    [[nodiscard]] static Result<void> save(QCustomPlot *plot, const QString &path, Format format, QSize size = {});
    // The format from the suffix; an unknown suffix is an error naming it.
    [[nodiscard]] static Result<void> save(QCustomPlot *plot, const QString &path, QSize size = {});
};

} // namespace rdt
