print("seedtest-pipelines")
