"""The handout PDF and the meeting packet (reportlab). Import the submodules when a handout is made:
`from handout.document import write_handout`; importing this package alone loads nothing heavy."""
