// The translation unit the precompiled headers of cmake/Pch.cmake are built with.
