print("lpar")
