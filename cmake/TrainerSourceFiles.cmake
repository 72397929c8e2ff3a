# Which files of training/ make up the trainer's source for packing: the CMake files and
# the C++ sources and headers, relative to the folder and sorted. Anything under a folder
# named build* or CMakeFiles is left out, so an in-source build never travels to the
# server. An extra argument CONFIGURE_DEPENDS re-globs at build time (project mode only).
function(rdt_trainer_source_files out_var source_dir)
  file(GLOB_RECURSE candidates ${ARGN} RELATIVE "${source_dir}"
    "${source_dir}/CMakeLists.txt" "${source_dir}/*.cmake" "${source_dir}/*.in"
    "${source_dir}/*.h" "${source_dir}/*.hpp" "${source_dir}/*.cpp" "${source_dir}/*.cc")
  set(kept "")
  foreach(file IN LISTS candidates)
    if(file MATCHES "(^|/)(build[^/]*|CMakeFiles)/")
      continue()
    endif()
    list(APPEND kept "${file}")
  endforeach()
  list(SORT kept)
  set(${out_var} "${kept}" PARENT_SCOPE)
endfunction()
