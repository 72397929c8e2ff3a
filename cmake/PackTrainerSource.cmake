# Packs the trainer's source (training/: its CMakeLists.txt and sources, never build
# outputs) into a gzipped tar with a stamp, so the workbench can build rdt-trainer on a
# server (remote/TrainerDeployer). Run as a script at build time:
#   cmake -DSOURCE_DIR=training -DOUTPUT_DIR=dir -P PackTrainerSource.cmake
# Writes OUTPUT_DIR/rdt-trainer-source.tar.gz and OUTPUT_DIR/rdt-trainer-source.stamp:
#   version 0.1.0      what the built trainer will report (training/'s project() VERSION)
#   cmake 3.25         the oldest CMake that configures it (its cmake_minimum_required)
#   sha256 HEX         of the packed files' names and contents, in name order
#   files N
# The stamp is also inside the archive as RDT_TRAINER_SOURCE. Both outputs are rewritten
# only when the digest changes, so an edit elsewhere does not re-embed them.
cmake_minimum_required(VERSION 3.25)

foreach(required SOURCE_DIR OUTPUT_DIR)
  if(NOT ${required})
    message(FATAL_ERROR "PackTrainerSource: -D${required}=... is required")
  endif()
endforeach()

# The same patterns decide what the build step depends on (remote/CMakeLists.txt).
include(${CMAKE_CURRENT_LIST_DIR}/TrainerSourceFiles.cmake)
rdt_trainer_source_files(files "${SOURCE_DIR}")

file(STRINGS "${SOURCE_DIR}/CMakeLists.txt" project_line REGEX "project\\(RdtTrainer VERSION")
if(NOT project_line MATCHES "VERSION ([0-9]+(\\.[0-9]+)*)")
  message(FATAL_ERROR "PackTrainerSource: no `project(RdtTrainer VERSION x.y.z)` in ${SOURCE_DIR}/CMakeLists.txt")
endif()
set(version "${CMAKE_MATCH_1}")
file(STRINGS "${SOURCE_DIR}/CMakeLists.txt" minimum_line REGEX "^cmake_minimum_required\\(VERSION")
if(NOT minimum_line MATCHES "VERSION ([0-9]+(\\.[0-9]+)*)")
  message(FATAL_ERROR "PackTrainerSource: no cmake_minimum_required(VERSION ...) in ${SOURCE_DIR}/CMakeLists.txt")
endif()
set(minimum_cmake "${CMAKE_MATCH_1}")

set(listing "")
foreach(file IN LISTS files)
  file(SHA256 "${SOURCE_DIR}/${file}" file_digest)
  string(APPEND listing "${file_digest}  ${file}\n")
endforeach()
string(SHA256 digest "${listing}")
list(LENGTH files count)
set(stamp "version ${version}\ncmake ${minimum_cmake}\nsha256 ${digest}\nfiles ${count}\n")

set(archive "${OUTPUT_DIR}/rdt-trainer-source.tar.gz")
set(stamp_file "${OUTPUT_DIR}/rdt-trainer-source.stamp")
if(EXISTS "${archive}" AND EXISTS "${stamp_file}")
  file(READ "${stamp_file}" previous)
  if(previous STREQUAL stamp)
    return()
  endif()
endif()

# A staging copy, so the stamp sits inside the archive beside the sources.
set(staging "${OUTPUT_DIR}/rdt-trainer-source")
file(REMOVE_RECURSE "${staging}")
foreach(file IN LISTS files)
  get_filename_component(folder "${file}" DIRECTORY)
  file(COPY "${SOURCE_DIR}/${file}" DESTINATION "${staging}/${folder}")
endforeach()
file(WRITE "${staging}/RDT_TRAINER_SOURCE" "${stamp}")
list(APPEND files RDT_TRAINER_SOURCE)
list(JOIN files "\n" file_list)
file(WRITE "${OUTPUT_DIR}/rdt-trainer-source.files" "${file_list}\n")

# A fixed modification time makes the archive depend on the contents only; the server
# compares contents before it replaces a file (TrainerDeployScripts), so its incremental
# build sees exactly the files that changed.
execute_process(
  COMMAND ${CMAKE_COMMAND} -E tar czf "${archive}.tmp" --format=gnutar "--mtime=2024-01-01 00:00:00 UTC"
          "--files-from=${OUTPUT_DIR}/rdt-trainer-source.files"
  WORKING_DIRECTORY "${staging}"
  RESULT_VARIABLE tar_status)
if(NOT tar_status EQUAL 0)
  message(FATAL_ERROR "PackTrainerSource: cmake -E tar failed (${tar_status})")
endif()
file(RENAME "${archive}.tmp" "${archive}")
file(WRITE "${stamp_file}" "${stamp}")
file(REMOVE_RECURSE "${staging}")
