"""The application: settings, the PTB Application, the command line, i18n and the shared engines."""
