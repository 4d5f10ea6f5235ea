# What `cmake --install` puts where, and the Debian package CPack makes of it:
#   cmake --build build && (cd build && cpack -G DEB)    # sluice_VERSION_ARCH.deb
# The binary, the man pages, bash and zsh completion, the JSON Schema, the example job files
# and the systemd units (docs/deploy.md). Test and mock programs are never installed.
include(GNUInstallDirs)
install(TARGETS sluice RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${CMAKE_SOURCE_DIR}/docs/man/sluice.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${CMAKE_SOURCE_DIR}/docs/man/sluice-job.5 DESTINATION ${CMAKE_INSTALL_MANDIR}/man5)
install(FILES ${CMAKE_SOURCE_DIR}/tools/completion/sluice.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME sluice)
install(FILES ${CMAKE_SOURCE_DIR}/tools/completion/_sluice
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${CMAKE_SOURCE_DIR}/schemas/job.schema.json
        DESTINATION ${CMAKE_INSTALL_DATADIR}/sluice)
file(GLOB SLUICE_EXAMPLES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/mappings/*.yml)
install(FILES ${SLUICE_EXAMPLES} DESTINATION ${CMAKE_INSTALL_DATADIR}/sluice/examples)
install(FILES ${CMAKE_SOURCE_DIR}/tools/deploy/systemd/sluice-run@.service
              ${CMAKE_SOURCE_DIR}/tools/deploy/systemd/sluice-run@.timer
        DESTINATION lib/systemd/system)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/docs/deploy.md
              ${CMAKE_SOURCE_DIR}/docs/job-format.md ${CMAKE_SOURCE_DIR}/docs/sync-rules.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

# Debian versions sort on '+', and a '-' would start the Debian revision: 0.1.0-3-gabc1234
# becomes 0.1.0+3+gabc1234.
string(REPLACE "-" "+" SLUICE_DEB_VERSION "${SLUICE_VERSION}")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME sluice)
set(CPACK_PACKAGE_VERSION ${SLUICE_DEB_VERSION})
set(CPACK_PACKAGE_CONTACT "sluice maintainers <sluice@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "declarative ETL: sync a paged, signed HTTP API into MySQL or MariaDB tables")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION database)
# The runtime libraries, found by dpkg-shlibdeps from what the binary links.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS ca-certificates)
include(CPack)
