// What a run was started with, as the configuration export writes it to a text file: the
// trainer's flags and environment as the launcher kept them (RUN/.rdt/, RunFolderLayout),
// the launcher's flags of a data-parallel run, the resolved run.yaml, and the MD5s of the
// dataset and pretrained model files the flags name, so a result can be tied to its inputs.
#pragma once

#include "FileChecksum.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace rdt {

struct RunConfiguration {
    QString host;          // as the user named it ("gpu01")
    QString runFolder;     // absolute on the server
    QStringList trainerArguments;    // .rdt/trainer-args: the flags after `train`
    QStringList environment;         // .rdt/trainer-env: NAME=VALUE
    QStringList launcherArguments;   // .rdt/launcher-args: empty for one process
    QByteArray runYaml;              // empty when the trainer never got that far
    bool startedByWorkbench = false;   // .rdt/trainer-args exists

    // The inputs the flags (or run.yaml) name, and their files' MD5s (a folder lists each file).
    QString datasetPath;
    FileChecksumList datasetFiles;
    QString datasetProblem;   // why there are no MD5s ("no such file"), empty when there are
    QString modelPath;        // empty: trained from scratch
    FileChecksumList modelFiles;
    QString modelProblem;

    // The value of flag `name` ("--dataset") in RDT's forms: "--dataset V", "--dataset=V",
    // and with dashes for underscores. Empty when absent.
    static QString flagValue(const QStringList &arguments, const QString &name);
    // A `train:` entry of run.yaml ("  dataset: \"/data/x.hdf5\""), its JSON string unquoted.
    static QString runYamlTrainValue(const QByteArray &runYaml, const QString &key);
    // Fills datasetPath and modelPath from the flags, or from run.yaml without them.
    void findInputs();

    // The text file: sections with headers, one item a line, and the whole run.yaml.
    QString toText() const;
};

} // namespace rdt
