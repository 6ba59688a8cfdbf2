from stidiplo.cli import main

main()
