// Turns metrics.jsonl, arriving as byte chunks at known file offsets, into MetricsEvents.
// Only complete lines are parsed: a half-written last line waits for its newline, a line
// split across reads is joined, and lines that are not JSON objects or are events this
// reader does not know are skipped and counted (contract 2: readers skip what they do not
// know). A file that went backwards (truncated, or replaced by a new run) restarts it.
#pragma once

#include "MetricsEvent.h"

#include <QByteArray>
#include <QString>

namespace rdt {

struct MetricsBatch {
    MetricsEventList events;
    // The file was truncated or replaced before these events: everything parsed so far
    // belongs to a file that no longer exists, so the consumer starts its curves afresh.
    bool restarted = false;
};

class MetricsLineParser {
public:
    // Bytes that start at `fileOffset` in the file. Usually that is nextOffset(); the same
    // bytes again from completeOffset() (a reader resuming after a lost connection) are
    // taken without duplicates; an offset before completeOffset() means the file went
    // backwards (restarted); one past nextOffset() means bytes were lost, so the line they
    // cut is dropped and counted.
    MetricsBatch feed(qint64 fileOffset, const QByteArray &bytes);
    MetricsBatch feed(const QByteArray &bytes) { return feed(nextOffset(), bytes); }

    // The file's current size, when the reader learns it: smaller than what was already
    // read means the file was truncated; true then, and the parser is back at offset 0.
    bool noteFileSize(qint64 size);

    // Forgets everything, ready for a file read from `fileOffset` (a line start).
    void reset(qint64 fileOffset = 0);

    qint64 completeOffset() const { return m_lineStart; }   // just past the last complete line
    qint64 nextOffset() const { return m_lineStart + m_pending.size(); }
    qint64 pendingBytes() const { return m_pending.size(); }
    int parsedLines() const { return m_parsed; }
    int garbageLines() const { return m_garbage; }          // not a JSON object, or a known event missing a field
    int unknownEvents() const { return m_unknown; }
    QString lastProblem() const { return m_lastProblem; }   // "byte 1234: not a JSON object"

    // Parses one line (without its newline); nullopt with *problem set when it is garbage,
    // nullopt with *problem empty when it is valid JSON this reader skips.
    static std::optional<MetricsEvent> parseLine(const QByteArray &line, QString *problem);

private:
    void takeCompleteLines(MetricsBatch &batch);
    void noteGarbage(qint64 offset, const QString &why);

    QByteArray m_pending;       // the unfinished line, starting at m_lineStart
    qint64 m_lineStart = 0;
    bool m_skipToNewline = false;   // the current line's start was lost: drop it
    QString m_skipReason;           // why, for lastProblem()
    int m_parsed = 0;
    int m_garbage = 0;
    int m_unknown = 0;
    QString m_lastProblem;
};

} // namespace rdt
