"""The Qt application. It uses db/ (and the handout); db/ never imports Qt."""
