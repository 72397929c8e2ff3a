# `cmake --install build` and `cpack -G DEB` (in build/): the programs go to bin/, the
# desktop entry to share/applications and the icon to share/icons/hicolor (install rules in
# app/, training/ and resources/), and the .deb depends on the Debian packages whose
# libraries they link (dpkg-shlibdeps reads them off the binaries) plus what they start.
set(CPACK_PACKAGE_NAME rdt-workbench)
set(CPACK_PACKAGE_VENDOR "RDT Workbench")
set(CPACK_PACKAGE_CONTACT "RDT Workbench maintainers <maintainers@rdt-workbench.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Fine-tune the Robotics Diffusion Transformer on a GPU server behind a jump host")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "RDT Workbench connects through an SSH jump host to a GPU server, syncs LIBERO data and\n"
    "the pretrained model, checks the server, deploys rdt-trainer, and starts, follows and\n"
    "stops fine-tuning runs of the Robotics Diffusion Transformer. rdt-workbench is the\n"
    "desktop program, rdtctl the same operations from a shell.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
# Shared libraries: from the binaries. Beside them: Qt's platform plugins (the window needs
# xcb or wayland; no binary links them), and for the local sandbox OpenSSH's ssh-keygen and
# sshd; the trainer runs much faster with OpenBLAS than with the reference BLAS.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "openssh-client, openssh-server, libopenblas0-pthread")
include(CPack)
