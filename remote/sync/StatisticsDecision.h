// Whether a dataset_stat.json belongs to the dataset on the server: the trainer records the
// dataset's MD5 next to the statistics (DESIGN.md contract 3), so equal MD5s mean "statistics
// valid for this dataset" and anything else means "recompute", with both values as the reason.
#pragma once

#include "FileChecksum.h"

#include <QByteArray>
#include <QString>

namespace rdt {

class StatisticsDecision {
public:
    // `statJson`: the file's bytes, in the shape `rdt-trainer stats` writes:
    //   {"<name>": {"dataset_name", "state_mean", ..., "md5" (one file), "files": [{"name",
    //    "md5", ...}], ...}, ...}
    // `dataset`: the dataset's checksums as RemoteChecksums lists them (one file, or the
    // files of a folder, of which the top-level .hdf5/.h5 ones count, as for the trainer).
    // `datasetPath`: picks the entry as the trainer names it (file stem or folder name); with
    // one entry in the file, that entry is used whatever its name.
    [[nodiscard]] static StatisticsDecision decide(const QByteArray &statJson, const FileChecksumList &dataset,
                                                   const QString &datasetPath);

    bool isValid() const { return m_valid; }
    // "statistics valid for this dataset" or "recompute"
    QString verdict() const;
    // Why, e.g. "dataset_stat.json records MD5 0f3a… for libero_10, the dataset has MD5 9c1e…".
    QString reason() const { return m_reason; }
    QString datasetName() const { return m_datasetName; }
    QString recordedMd5() const { return m_recordedMd5; }   // the first that differs, for a folder
    QString datasetMd5() const { return m_datasetMd5; }

private:
    static StatisticsDecision recompute(const QString &reason);

    bool m_valid = false;
    QString m_reason;
    QString m_datasetName;
    QString m_recordedMd5;
    QString m_datasetMd5;
};

} // namespace rdt
