print("pail")
