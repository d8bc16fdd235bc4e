from treatysearch.cli import main

main()
