// Line splitting by file offset, then one JSON object per line mapped onto MetricsEvent.
#include "MetricsLineParser.h"

#include "WholeNumber.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <cmath>

namespace rdt {
namespace {

// A line this long without a newline is not metrics.jsonl (a start event with the whole
// resolved configuration is a few KB); past it the bytes are dropped to bound memory.
constexpr qint64 kMaxLineBytes = 16 * 1024 * 1024;

// null (how the trainer writes NaN and Inf) and absent both read as "no value".
double number(const QJsonObject &object, const char *key)
{
    const QJsonValue value = object.value(QLatin1String(key));
    return value.isDouble() ? value.toDouble() : MetricsEvent::kMissing;
}

bool readStep(const QJsonObject &object, MetricsEvent &event)
{
    const QJsonValue value = object.value(QLatin1String("step"));
    if (!value.isDouble())
        return false;
    const std::optional<qint64> step = WholeNumber::fromDouble(value.toDouble());
    if (!step)
        return false;   // 1e300 is no step number
    event.step = *step;
    return true;
}

qint64 maxTrainSteps(const QJsonObject &config)
{
    // Ours nests the flags under "train"; a flat config (another writer) is read too.
    const QJsonValue nested = config.value(QLatin1String("train")).toObject().value(QLatin1String("max_train_steps"));
    const QJsonValue value = nested.isDouble() ? nested : config.value(QLatin1String("max_train_steps"));
    return value.isDouble() ? WholeNumber::fromDouble(value.toDouble()).value_or(-1) : -1;
}

} // namespace

std::optional<MetricsEvent> MetricsLineParser::parseLine(const QByteArray &line, QString *problem)
{
    problem->clear();
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *problem = QStringLiteral("not JSON (%1 at column %2)").arg(parseError.errorString()).arg(parseError.offset + 1);
        return std::nullopt;
    }
    if (!document.isObject()) {
        *problem = QStringLiteral("not a JSON object");
        return std::nullopt;
    }
    const QJsonObject object = document.object();
    MetricsEvent event;
    event.time = number(object, "time");
    const QJsonValue kindValue = object.value(QLatin1String("event"));
    if (kindValue.isUndefined()) {
        // A step point has no "event" key (contract 2); anything else without one is unknown.
        if (!object.contains(QLatin1String("loss")))
            return std::nullopt;
        if (!readStep(object, event)) {
            *problem = QStringLiteral("step point without a numeric \"step\"");
            return std::nullopt;
        }
        event.kind = MetricsEvent::Kind::Step;
        event.loss = number(object, "loss");
        event.learningRate = number(object, "lr");
        event.gradNorm = number(object, "grad_norm");
        event.samplesPerSecond = number(object, "samples_per_s");
        event.epoch = number(object, "epoch");
        if (object.value(QLatin1String("data_wait_s")).isDouble())
            event.dataWaitSeconds = object.value(QLatin1String("data_wait_s")).toDouble();
        return event;
    }
    const QString kind = kindValue.toString();
    if (kind == QLatin1String("start")) {
        event.kind = MetricsEvent::Kind::Start;
        event.step = WholeNumber::fromDouble(object.value(QLatin1String("step")).toDouble(0)).value_or(0);
        event.version = object.value(QLatin1String("version")).toString();
        event.worldSize = object.value(QLatin1String("world_size")).toInt(1);
        event.resumedFrom = object.value(QLatin1String("resumed_from")).toString();
        event.config = object.value(QLatin1String("config")).toObject();
        event.maxTrainSteps = maxTrainSteps(event.config);
        for (const QJsonValue &warning : object.value(QLatin1String("conditioning")).toObject()
                                             .value(QLatin1String("warnings")).toArray())
            event.conditioningWarnings.append(warning.toString());
        return event;
    }
    const bool needsStep = kind == QLatin1String("sample") || kind == QLatin1String("checkpoint")
                           || kind == QLatin1String("done");
    if (needsStep && !readStep(object, event)) {
        *problem = QStringLiteral("\"%1\" event without a numeric \"step\"").arg(kind);
        return std::nullopt;
    }
    if (kind == QLatin1String("sample")) {
        event.kind = MetricsEvent::Kind::Sample;
        event.sampleMse = number(object, "sample_mse");
        event.sampleL2Error = number(object, "sample_l2err");
    } else if (kind == QLatin1String("checkpoint")) {
        event.kind = MetricsEvent::Kind::Checkpoint;
        event.path = object.value(QLatin1String("path")).toString();
        if (event.path.isEmpty())
            event.path = QStringLiteral("checkpoint-%1").arg(event.step);
    } else if (kind == QLatin1String("done")) {
        event.kind = MetricsEvent::Kind::Done;
    } else if (kind == QLatin1String("error")) {
        event.kind = MetricsEvent::Kind::Error;
        event.message = object.value(QLatin1String("message")).toString();
    } else {
        return std::nullopt;   // an event of a newer trainer: skipped, counted by the caller
    }
    return event;
}

MetricsBatch MetricsLineParser::feed(qint64 fileOffset, const QByteArray &bytes)
{
    MetricsBatch batch;
    const qint64 next = nextOffset();
    if (fileOffset < m_lineStart) {
        // Earlier than any line not yet complete: the file went backwards.
        reset(fileOffset);
        batch.restarted = true;
        m_skipToNewline = fileOffset > 0;   // mid-file: the first line may be a tail
        m_skipReason = QStringLiteral("a line whose start was not read");
    } else if (fileOffset < next) {
        // A resumed reader sends part of the unfinished line again: keep one copy.
        m_pending.truncate(int(fileOffset - m_lineStart));
    } else if (fileOffset > next) {
        // The line the hole cuts is dropped (and counted) when its newline arrives.
        m_skipReason = QStringLiteral("%1 bytes missing before byte %2").arg(fileOffset - next).arg(fileOffset);
        m_pending.clear();
        m_lineStart = fileOffset;
        m_skipToNewline = true;
    }
    m_pending += bytes;
    takeCompleteLines(batch);
    if (m_pending.size() > kMaxLineBytes) {
        // Counted once, when the rest of the line (its newline) arrives.
        m_skipReason = QStringLiteral("a line longer than %1 bytes").arg(kMaxLineBytes);
        m_lineStart += m_pending.size();
        m_pending.clear();
        m_skipToNewline = true;
    }
    return batch;
}

void MetricsLineParser::takeCompleteLines(MetricsBatch &batch)
{
    qint64 position = 0;
    QString problem;
    while (true) {
        const qint64 newline = m_pending.indexOf('\n', position);
        if (newline < 0)
            break;
        const qint64 lineOffset = m_lineStart + position;
        QByteArray line = m_pending.mid(position, newline - position);
        position = newline + 1;
        if (m_skipToNewline) {
            m_skipToNewline = false;
            noteGarbage(lineOffset, m_skipReason);
            continue;
        }
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.trimmed().isEmpty())
            continue;
        std::optional<MetricsEvent> event = parseLine(line, &problem);
        if (event) {
            event->offset = lineOffset;
            batch.events.append(std::move(*event));
            ++m_parsed;
        } else if (!problem.isEmpty()) {
            noteGarbage(lineOffset, problem);
        } else {
            ++m_unknown;
        }
    }
    m_pending.remove(0, position);
    m_lineStart += position;
}

bool MetricsLineParser::noteFileSize(qint64 size)
{
    if (size >= nextOffset())
        return false;
    reset(0);
    return true;
}

void MetricsLineParser::reset(qint64 fileOffset)
{
    m_pending.clear();
    m_lineStart = fileOffset;
    m_skipToNewline = false;
}

void MetricsLineParser::noteGarbage(qint64 offset, const QString &why)
{
    ++m_garbage;
    m_lastProblem = QStringLiteral("byte %1: %2").arg(offset).arg(why);
}

} // namespace rdt
