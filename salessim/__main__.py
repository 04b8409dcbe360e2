from salessim.cli import main

main()
