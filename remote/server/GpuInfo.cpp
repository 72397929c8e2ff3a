// Parses nvidia-smi's CSV query output into GpuInfo rows.
#include "GpuInfo.h"

#include "WholeNumber.h"

#include <QJsonValue>

#include <cmath>

namespace rdt {

namespace {

// An idle card holds a few MiB for the driver's context (4 MiB on an idle A800); anything
// beyond 5 % of its memory or 10 % utilisation is another job.
constexpr double kBusyMemoryFraction = 0.05;
constexpr int kBusyUtilizationPercent = 10;

constexpr int kColumnCount = 6;

// nvidia-smi prints `[N/A]`, `[Not Supported]`, `[Unknown Error]`, `[GPU is lost]` ... for
// values it cannot read; older drivers print a bare `N/A`.
bool isMissing(const QString &field)
{
    return field.isEmpty() || field.startsWith(QLatin1Char('['))
        || field.compare(QLatin1String("N/A"), Qt::CaseInsensitive) == 0;
}

std::optional<qint64> optionalNumber(const QString &field, bool *bad)
{
    if (isMissing(field))
        return std::nullopt;
    bool ok = false;
    // Some drivers print "81920.0" or "45.5"; whole units are enough for the checklist.
    const double value = field.toDouble(&ok);
    const std::optional<qint64> whole = ok ? WholeNumber::fromDouble(std::trunc(value)) : std::nullopt;
    if (!whole)
        *bad = true;   // not a number, or none that fits (1e300, inf)
    return whole;
}

QJsonValue toJsonValue(const std::optional<qint64> &value)
{
    return value ? QJsonValue(double(*value)) : QJsonValue(QJsonValue::Null);
}

std::optional<qint64> fromJsonValue(const QJsonValue &value)
{
    return value.isDouble() ? WholeNumber::fromDouble(std::trunc(value.toDouble())) : std::nullopt;
}

} // namespace

Result<QList<GpuInfo>> GpuInfo::parseNvidiaSmiCsv(const QByteArray &output)
{
    QList<GpuInfo> gpus;
    const QList<QByteArray> lines = output.split('\n');
    for (qsizetype number = 0; number < lines.size(); ++number) {
        const QString line = QString::fromUtf8(lines[number]).trimmed();
        if (line.isEmpty())
            continue;
        auto bad = [&](const QString &why) {
            return makeError(ErrorCode::RemoteFailed,
                             QStringLiteral("nvidia-smi output line %1 \"%2\": %3")
                                 .arg(number + 1)
                                 .arg(line, why));
        };
        // GPU names hold no commas, so a plain split is exact.
        QStringList fields = line.split(QLatin1Char(','));
        if (fields.size() != kColumnCount)
            return bad(QStringLiteral("expected %1 comma-separated fields, found %2")
                           .arg(kColumnCount)
                           .arg(fields.size()));
        for (QString &field : fields)
            field = field.trimmed();
        GpuInfo gpu;
        bool ok = false;
        gpu.index = fields[0].toInt(&ok);
        if (!ok)
            return bad(QStringLiteral("GPU index '%1' is not a number").arg(fields[0]));
        gpu.name = fields[1];
        bool badNumber = false;
        gpu.memoryTotalMiB = optionalNumber(fields[2], &badNumber);
        gpu.memoryUsedMiB = optionalNumber(fields[3], &badNumber);
        if (const auto utilization = optionalNumber(fields[4], &badNumber))
            gpu.utilizationPercent = WholeNumber::clampToInt(*utilization);
        if (const auto temperature = optionalNumber(fields[5], &badNumber))
            gpu.temperatureCelsius = WholeNumber::clampToInt(*temperature);
        if (badNumber)
            return bad(QStringLiteral("a memory, utilisation or temperature field is not a "
                                      "number (was nvidia-smi run without nounits?)"));
        gpus.append(gpu);
    }
    return gpus;
}

bool GpuInfo::isBusy() const
{
    if (utilizationPercent && *utilizationPercent >= kBusyUtilizationPercent)
        return true;
    if (memoryUsedMiB && memoryTotalMiB && *memoryTotalMiB > 0)
        return double(*memoryUsedMiB) > kBusyMemoryFraction * double(*memoryTotalMiB);
    return false;
}

QJsonObject GpuInfo::toJson() const
{
    QJsonObject object;
    object.insert(QStringLiteral("index"), index);
    object.insert(QStringLiteral("name"), name);
    object.insert(QStringLiteral("memory_total_mib"), toJsonValue(memoryTotalMiB));
    object.insert(QStringLiteral("memory_used_mib"), toJsonValue(memoryUsedMiB));
    object.insert(QStringLiteral("utilization_percent"),
                  toJsonValue(utilizationPercent ? std::optional<qint64>(*utilizationPercent)
                                                 : std::nullopt));
    object.insert(QStringLiteral("temperature_c"),
                  toJsonValue(temperatureCelsius ? std::optional<qint64>(*temperatureCelsius)
                                                 : std::nullopt));
    object.insert(QStringLiteral("busy"), isBusy());
    return object;
}

GpuInfo GpuInfo::fromJson(const QJsonObject &object)
{
    GpuInfo gpu;
    gpu.index = object.value(QStringLiteral("index")).toInt();
    gpu.name = object.value(QStringLiteral("name")).toString();
    gpu.memoryTotalMiB = fromJsonValue(object.value(QStringLiteral("memory_total_mib")));
    gpu.memoryUsedMiB = fromJsonValue(object.value(QStringLiteral("memory_used_mib")));
    if (const auto value = fromJsonValue(object.value(QStringLiteral("utilization_percent"))))
        gpu.utilizationPercent = WholeNumber::clampToInt(*value);
    if (const auto value = fromJsonValue(object.value(QStringLiteral("temperature_c"))))
        gpu.temperatureCelsius = WholeNumber::clampToInt(*value);
    return gpu;
}

} // namespace rdt
