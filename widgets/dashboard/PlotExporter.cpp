// The temporary name keeps the suffix, so nothing downstream guesses another format.
#include "PlotExporter.h"

#include <qcustomplot.h>

#include <QDir>
#include <QFileInfo>
#include <QSvgGenerator>
#include <QTemporaryFile>

namespace rdt {
namespace {

bool saveSvg(QCustomPlot *plot, const QString &path, QSize size)
{
    QSvgGenerator generator;
    generator.setFileName(path);
    // 96 dots per inch is CSS's pixel, so a browser shows the drawing at `size` pixels.
    generator.setResolution(96);
    generator.setSize(size);
    generator.setViewBox(QRect(QPoint(0, 0), size));
    generator.setTitle(QStringLiteral("RDT Workbench plot"));
    QCPPainter painter;
    if (!painter.begin(&generator))
        return false;
    plot->toPainter(&painter, size.width(), size.height());
    return painter.end();
}

} // namespace

std::optional<PlotExporter::Format> PlotExporter::formatOf(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png"))
        return Format::Png;
    if (suffix == QLatin1String("svg"))
        return Format::Svg;
    if (suffix == QLatin1String("pdf"))
        return Format::Pdf;
    return std::nullopt;
}

QString PlotExporter::suffixOf(Format format)
{
    switch (format) {
    case Format::Png:
        return QStringLiteral("png");
    case Format::Svg:
        return QStringLiteral("svg");
    case Format::Pdf:
        return QStringLiteral("pdf");
    }
    return {};
}

Result<void> PlotExporter::save(QCustomPlot *plot, const QString &path, QSize size)
{
    const std::optional<Format> format = formatOf(path);
    if (!format)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("export the plot to %1: the name must end in .png, .svg or .pdf").arg(path));
    return save(plot, path, *format, size);
}

Result<void> PlotExporter::save(QCustomPlot *plot, const QString &path, Format format, QSize size)
{
    const QString what = QStringLiteral("export the plot to %1").arg(path);
    if (size.isEmpty())
        size = plot->size();
    if (size.width() < 16 || size.height() < 16 || size.width() > 20000 || size.height() > 20000)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("%1: %2 x %3 pixels is not a size to draw at (16 to 20000 each way)")
                             .arg(what).arg(size.width()).arg(size.height()));
    const QFileInfo target(path);
    if (!target.absoluteDir().exists())
        return makeError(ErrorCode::LocalIo, QStringLiteral("%1: the folder %2 does not exist").arg(what, target.absolutePath()));

    QTemporaryFile temporary(target.absoluteDir().filePath(QStringLiteral(".%1.XXXXXX.%2").arg(target.completeBaseName(), suffixOf(format))));
    if (!temporary.open())
        return makeError(ErrorCode::LocalIo, QStringLiteral("%1: %2").arg(what, temporary.errorString()));
    const QString temporaryPath = temporary.fileName();
    temporary.close();
    // Removed here on every failure below; on success it has become the target.
    temporary.setAutoRemove(false);
    const auto fail = [&](const QString &why) {
        QFile::remove(temporaryPath);
        return makeError(ErrorCode::LocalIo, QStringLiteral("%1: %2").arg(what, why));
    };

    bool written = false;
    switch (format) {
    case Format::Png:
        written = plot->savePng(temporaryPath, size.width(), size.height());
        break;
    case Format::Svg:
        written = saveSvg(plot, temporaryPath, size);
        break;
    case Format::Pdf:
        written = plot->savePdf(temporaryPath, size.width(), size.height(), QCP::epAllowCosmetic,
                                QStringLiteral("RDT Workbench"), QStringLiteral("Training plot"));
        break;
    }
    if (!written || QFileInfo(temporaryPath).size() == 0)
        return fail(QStringLiteral("drawing the %1 failed").arg(suffixOf(format).toUpper()));
    QFile::remove(path);
    QFile file(temporaryPath);
    if (!file.rename(path))
        return fail(file.errorString());
    return {};
}

} // namespace rdt
