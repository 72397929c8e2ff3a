# Which c10d backends the trainer can use: Gloo when LibTorch ships ProcessGroupGloo.hpp and
# gloo's own headers are found (Debian: libtorch-dev + libgloo-dev; PyTorch wheels bundle
# them), NCCL on a CUDA LibTorch with nccl.h. Sets RDT_WITH_GLOO / RDT_WITH_NCCL on
# dist/C10dCompat.cpp alone, so the rest of the library (and its compiler-cache keys and
# precompiled header) does not change with them.
find_path(RDT_C10D_INCLUDE torch/csrc/distributed/c10d/ProcessGroupGloo.hpp HINTS ${TORCH_INCLUDE_DIRS})
find_path(RDT_GLOO_INCLUDE gloo/algorithm.h HINTS ${TORCH_INCLUDE_DIRS})
if(RDT_C10D_INCLUDE AND RDT_GLOO_INCLUDE)
  set_property(SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/dist/C10dCompat.cpp APPEND PROPERTY COMPILE_DEFINITIONS RDT_WITH_GLOO=1)
  set_property(SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/dist/C10dCompat.cpp APPEND PROPERTY INCLUDE_DIRECTORIES ${RDT_GLOO_INCLUDE})
  message(STATUS "rdt-trainer: data-parallel training on CPU with c10d Gloo")
else()
  message(STATUS "rdt-trainer: no c10d Gloo headers; data-parallel CPU training disabled")
endif()
if(TORCH_CUDA_LIBRARIES OR TARGET torch_cuda OR TARGET c10_cuda)
  # PyTorch wheels keep nccl.h in site-packages/nvidia/nccl/include.
  find_path(RDT_NCCL_INCLUDE nccl.h HINTS ${TORCH_INCLUDE_DIRS} ${TORCH_INSTALL_PREFIX}/../nvidia/nccl/include
            $ENV{NCCL_HOME}/include /usr/local/cuda/include)
  if(RDT_NCCL_INCLUDE AND EXISTS ${RDT_C10D_INCLUDE}/torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp)
    set_property(SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/dist/C10dCompat.cpp APPEND PROPERTY COMPILE_DEFINITIONS RDT_WITH_NCCL=1)
    set_property(SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/dist/C10dCompat.cpp APPEND PROPERTY INCLUDE_DIRECTORIES ${RDT_NCCL_INCLUDE})
    message(STATUS "rdt-trainer: data-parallel training on CUDA with c10d NCCL")
  endif()
endif()
