// The checkpoints table with its Download button; the app does the download (a folder
// sync with checksums) when downloadRequested arrives.
#pragma once

#include "CheckpointRow.h"

#include <QWidget>

class QPushButton;
class QTableView;

namespace rdt {

class CheckpointTableModel;

class CheckpointPanel : public QWidget {
    Q_OBJECT
public:
    explicit CheckpointPanel(QWidget *parent = nullptr);

    CheckpointTableModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QPushButton *downloadButton() const { return m_download; }

signals:
    void downloadRequested(const rdt::CheckpointRow &checkpoint);

private:
    void updateButtons();

    CheckpointTableModel *m_model;
    QTableView *m_view;
    QPushButton *m_download;
};

} // namespace rdt
