from catchball.cli import main

main()
