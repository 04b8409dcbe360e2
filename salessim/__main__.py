from salessim.commands import salessim

salessim()
