from opencomplaints.cli import main

main()
