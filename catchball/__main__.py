from catchball.cli import entry

entry()
